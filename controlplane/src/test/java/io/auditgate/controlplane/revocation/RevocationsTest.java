package io.auditgate.controlplane.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.Validity;
import io.auditgate.store.StoreOptions;
import io.auditgate.testkit.MutableClock;
import io.auditgate.testkit.TestDatabases;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.CRLReason;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevocationsTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir static Path dir;
  private static DevCertificateAuthority ca;
  private static DevCertificateAuthority otherCa;

  private final MutableClock clock = new MutableClock(T0);
  private StoreOptions db;
  private Revocations revocations;
  private IssuedCertificate device;
  private final Map<String, IssuedCertificate> inventory = new java.util.HashMap<>();

  @BeforeAll
  static void createCa() {
    Clock fixed = Clock.fixed(T0.minusSeconds(3600), ZoneOffset.UTC);
    ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), fixed);
    otherCa =
        DevCertificateAuthority.create(
            dir.resolve("other"), CaOptions.defaults(), Optional.empty(), fixed);
  }

  @BeforeEach
  void setUp() {
    db = TestDatabases.migrated();
    device = ca.issueDevice("sensor-01", Validity.days(30));
    inventory.put(device.sha256Fingerprint(), device);
    revocations =
        Revocations.over(
            db,
            ca.revocationAuthority(),
            sha -> Optional.ofNullable(inventory.get(sha)).map(IssuedCertificate::certificate),
            RevocationOptions.defaults(),
            clock);
  }

  @Test
  void revokingACertificateRecordsItAndPublishesACrlThatListsIt() throws Exception {
    RevokeOutcome outcome =
        revocations.revoke(
            new RevokeRequest(
                new RevocationTarget.Certificate(device.certificate()),
                "keyCompromise",
                "operator",
                Optional.of("lost in the field")));

    RevokeOutcome.Revoked revoked = (RevokeOutcome.Revoked) outcome;
    assertThat(revoked.record().serial()).isEqualTo(device.certificate().getSerialNumber());
    assertThat(revoked.record().certificateSha256()).contains(device.sha256Fingerprint());
    assertThat(revoked.record().revokedAt()).isEqualTo(T0);
    assertThat(revoked.record().comment()).contains("lost in the field");
    assertThat(revocations.isRevoked(device.sha256Fingerprint())).isTrue();
    assertThat(revocations.bySerial(device.certificate().getSerialNumber()))
        .get()
        .extracting(RevocationRecord::reason)
        .isEqualTo("keyCompromise");

    PublishedCrl served = revocations.crl(revocations.crlName()).orElseThrow();
    assertThat(served.number()).isEqualTo(revoked.crl().number());
    X509CRL crl = parse(served.der());
    crl.verify(ca.issuingCertificate().getPublicKey());
    assertThat(crl.isRevoked(device.certificate())).isTrue();
    assertThat(crl.getRevokedCertificate(device.certificate()).getRevocationReason())
        .isEqualTo(CRLReason.KEY_COMPROMISE);
    assertThat(crl.getRevokedCertificate(device.certificate()).getRevocationDate().toInstant())
        .isEqualTo(T0);
    assertThat(revocations.crl("other")).isEmpty();
  }

  @Test
  void revokingTwiceKeepsTheFirstTimeAndReasonAndSaysSo() {
    revocations.revoke(
        request(new RevocationTarget.Serial(device.certificate().getSerialNumber()), "superseded"));
    clock.advance(Duration.ofMinutes(5));

    RevokeOutcome again =
        revocations.revoke(
            request(new RevocationTarget.Sha256(device.sha256Fingerprint()), "keyCompromise"));

    RevokeOutcome.AlreadyRevoked already = (RevokeOutcome.AlreadyRevoked) again;
    assertThat(already.existing().reason()).isEqualTo("superseded");
    assertThat(already.existing().revokedAt()).isEqualTo(T0);
    assertThat(already.existing().certificateSha256())
        .as("the fingerprint learnt by the second call is kept")
        .contains(device.sha256Fingerprint());
    assertThat(
            revocations.revoke(
                request(new RevocationTarget.Certificate(device.certificate()), "keyCompromise")))
        .isInstanceOf(RevokeOutcome.AlreadyRevoked.class);
    assertThat(revocations.list(10, 0)).hasSize(1);
  }

  @Test
  void badRequestsAreRefusedWithAnOutcomeAndWriteNothing() {
    IssuedCertificate foreign = otherCa.issueDevice("sensor-01", Validity.days(1));
    String unknownSha = "ab".repeat(32);

    assertThat(
            revocations.revoke(
                request(new RevocationTarget.Certificate(device.certificate()), "removeFromCRL")))
        .isInstanceOfSatisfying(
            RevokeOutcome.InvalidReason.class,
            r -> assertThat(r.allowed()).contains("keyCompromise"));
    assertThat(
            revocations.revoke(
                request(new RevocationTarget.Certificate(foreign.certificate()), "keyCompromise")))
        .isInstanceOf(RevokeOutcome.NotIssuedHere.class);
    assertThat(
            revocations.revoke(request(new RevocationTarget.Sha256(unknownSha), "keyCompromise")))
        .isEqualTo(new RevokeOutcome.UnknownCertificate(unknownSha));
    assertThat(revocations.list(10, 0)).isEmpty();
    assertThat(revocations.isRevoked(device.sha256Fingerprint())).isFalse();
  }

  @Test
  void crlNumbersGrowAndTheCrlIsRenewedBeforeNextUpdate() throws Exception {
    PublishedCrl first = revocations.crl(revocations.crlName()).orElseThrow();
    assertThat(first.number()).isEqualTo(BigInteger.ONE);
    assertThat(first.entries()).isZero();
    assertThat(first.nextUpdate()).isEqualTo(T0.plus(Duration.ofHours(24)));

    clock.advance(Duration.ofHours(11));
    assertThat(revocations.refreshCrlIfDue().number()).as("not due yet").isEqualTo(BigInteger.ONE);
    clock.advance(Duration.ofHours(1));
    PublishedCrl renewed = revocations.refreshCrlIfDue();
    assertThat(renewed.number()).isEqualTo(2);
    assertThat(renewed.thisUpdate()).isEqualTo(T0.plus(Duration.ofHours(12)));
    assertThat(
            parse(revocations.crl(revocations.crlName()).orElseThrow().der())
                .getThisUpdate()
                .toInstant())
        .isEqualTo(T0.plus(Duration.ofHours(12)));

    revocations.revoke(
        request(new RevocationTarget.Certificate(device.certificate()), "superseded"));
    assertThat(revocations.crl(revocations.crlName()).orElseThrow().number()).isEqualTo(3);
  }

  @Test
  void concurrentRevocationsAllEndUpInTheLastCrlWithDistinctNumbers() throws Exception {
    List<IssuedCertificate> devices = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      devices.add(ca.issueDevice("d" + i, Validity.days(1)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<RevokeOutcome>> futures = new ArrayList<>();
      for (IssuedCertificate d : devices) {
        Callable<RevokeOutcome> call =
            () ->
                revocations.revoke(
                    request(
                        new RevocationTarget.Certificate(d.certificate()), "cessationOfOperation"));
        futures.add(pool.submit(call));
      }
      List<BigInteger> numbers = new ArrayList<>();
      for (Future<RevokeOutcome> f : futures) {
        numbers.add(((RevokeOutcome.Revoked) f.get()).crl().number());
      }
      assertThat(numbers).doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
    }
    X509CRL crl = parse(revocations.crl(revocations.crlName()).orElseThrow().der());
    for (IssuedCertificate d : devices) {
      assertThat(crl.isRevoked(d.certificate())).isTrue();
    }
  }

  @Test
  void ocspAnswersFromTheTable() throws Exception {
    IssuedCertificate good = ca.issueDevice("sensor-02", Validity.days(1));
    revocations.revoke(
        request(new RevocationTarget.Certificate(device.certificate()), "keyCompromise"));

    OcspReply revoked = revocations.ocsp(request(device));
    OcspReply fine = revocations.ocsp(request(good));
    OcspReply garbage = revocations.ocsp(new byte[] {0x30, 0x03, 0x02, 0x01});

    assertThat(revoked.outcome()).isEqualTo("revoked");
    RevokedStatus status =
        (RevokedStatus)
            ((BasicOCSPResp) new OCSPResp(revoked.der()).getResponseObject())
                .getResponses()[0].getCertStatus();
    assertThat(status.getRevocationTime().toInstant()).isEqualTo(T0);
    assertThat(fine.outcome()).isEqualTo("good");
    assertThat(
            ((BasicOCSPResp) new OCSPResp(fine.der()).getResponseObject())
                .getResponses()[0].getCertStatus())
        .isEqualTo(CertificateStatus.GOOD);
    assertThat(garbage.outcome()).isEqualTo("malformed_request");
  }

  private static byte[] request(IssuedCertificate leaf) throws Exception {
    OCSPReqBuilder builder = new OCSPReqBuilder();
    builder.addRequest(
        new CertificateID(
            new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
            new JcaX509CertificateHolder(ca.issuingCertificate()),
            leaf.certificate().getSerialNumber()));
    return builder.build().getEncoded();
  }

  private static RevokeRequest request(RevocationTarget target, String reason) {
    return new RevokeRequest(target, reason, "test", Optional.empty());
  }

  private static X509CRL parse(byte[] der) throws Exception {
    return (X509CRL)
        CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
  }
}

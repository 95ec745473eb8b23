package io.auditgate.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.CRLReason;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevocationAuthorityTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir static Path dir;
  private static DevCertificateAuthority ca;
  private static DevCertificateAuthority otherCa;
  private static IssuedCertificate revokedDevice;
  private static IssuedCertificate goodDevice;

  @BeforeAll
  static void createCas() {
    ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), CLOCK);
    otherCa =
        DevCertificateAuthority.create(
            dir.resolve("other"), CaOptions.defaults(), Optional.empty(), CLOCK);
    revokedDevice = ca.issueDevice("sensor-01", Validity.days(365));
    goodDevice = ca.issueDevice("sensor-02", Validity.days(365));
  }

  @Test
  void crlListsEachEntryWithDateAndReasonAndIsSignedByTheIssuingCa() throws Exception {
    Instant revokedAt = NOW.minusSeconds(3600);
    BigInteger other = BigInteger.valueOf(12345);
    SignedCrl signed =
        ca.revocationAuthority()
            .crl(
                BigInteger.valueOf(7),
                List.of(
                    new RevokedSerial(
                        serial(revokedDevice), revokedAt, RevocationReason.KEY_COMPROMISE),
                    new RevokedSerial(
                        other, revokedAt.plusSeconds(1), RevocationReason.UNSPECIFIED)),
                NOW,
                Duration.ofHours(24));

    X509CRL crl = parse(signed.der());
    crl.verify(ca.issuingCertificate().getPublicKey());
    assertThat(crl.getIssuerX500Principal())
        .isEqualTo(ca.issuingCertificate().getSubjectX500Principal());
    assertThat(crl.getThisUpdate().toInstant()).isEqualTo(NOW);
    assertThat(crl.getNextUpdate().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(24)));
    assertThat(signed.number()).isEqualTo(7);
    assertThat(signed.entries()).isEqualTo(2);
    assertThat(
            ASN1Integer.getInstance(
                    ASN1OctetString.getInstance(crl.getExtensionValue(Extension.cRLNumber.getId()))
                        .getOctets())
                .getValue())
        .isEqualTo(7);
    byte[] aki = crl.getExtensionValue(Extension.authorityKeyIdentifier.getId());
    assertThat(
            AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(aki).getOctets())
                .getKeyIdentifier())
        .isEqualTo(
            ASN1OctetString.getInstance(
                    ASN1OctetString.getInstance(
                            ca.issuingCertificate()
                                .getExtensionValue(Extension.subjectKeyIdentifier.getId()))
                        .getOctets())
                .getOctets());

    X509CRLEntry entry = crl.getRevokedCertificate(revokedDevice.certificate());
    assertThat(entry).isNotNull();
    assertThat(entry.getRevocationDate().toInstant()).isEqualTo(revokedAt);
    assertThat(entry.getRevocationReason()).isEqualTo(CRLReason.KEY_COMPROMISE);
    X509CRLEntry unspecified = crl.getRevokedCertificate(other);
    assertThat(unspecified.getRevocationReason()).as("unspecified is left out (RFC 5280)").isNull();
    assertThat(crl.isRevoked(goodDevice.certificate())).isFalse();
  }

  @Test
  void everyReasonCodeRoundTripsThroughTheCrl() throws Exception {
    List<RevokedSerial> entries =
        java.util.Arrays.stream(RevocationReason.values())
            .filter(r -> r != RevocationReason.UNSPECIFIED)
            .map(r -> new RevokedSerial(BigInteger.valueOf(100 + r.code()), NOW, r))
            .toList();
    X509CRL crl =
        parse(
            ca.revocationAuthority().crl(BigInteger.ONE, entries, NOW, Duration.ofHours(1)).der());
    for (RevokedSerial e : entries) {
      assertThat(crl.getRevokedCertificate(e.serial()).getRevocationReason().ordinal())
          .as(e.reason().rfcName())
          .isEqualTo(e.reason().code());
    }
  }

  @Test
  void emptyCrlIsValidAndTheAuthorityRefusesNonCas() throws Exception {
    X509CRL crl =
        parse(
            ca.revocationAuthority()
                .crl(BigInteger.ZERO, List.of(), NOW, Duration.ofMinutes(5))
                .der());
    crl.verify(ca.issuingCertificate().getPublicKey());
    assertThat(crl.getRevokedCertificates()).isNull();
    assertThatThrownBy(
            () -> RevocationAuthority.of(goodDevice.certificate(), goodDevice.privateKey()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a CA certificate");
    assertThatThrownBy(
            () -> ca.revocationAuthority().crl(BigInteger.ONE, List.of(), NOW, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ocspAnswersRevokedGoodAndUnknownPerCertIdAndEchoesTheNonce() throws Exception {
    Instant revokedAt = NOW.minusSeconds(60);
    OcspStatusSource source =
        serial ->
            serial.equals(serial(revokedDevice))
                ? Optional.of(new RevokedSerial(serial, revokedAt, RevocationReason.SUPERSEDED))
                : Optional.empty();
    IssuedCertificate foreign = otherCa.issueDevice("sensor-03", Validity.days(1));
    byte[] nonce = {1, 2, 3, 4, 5, 6, 7, 8};
    OCSPReqBuilder request = new OCSPReqBuilder();
    request.addRequest(id(ca, revokedDevice));
    request.addRequest(id(ca, goodDevice));
    request.addRequest(id(otherCa, foreign));
    request.setRequestExtensions(
        new Extensions(
            new Extension(
                OCSPObjectIdentifiers.id_pkix_ocsp_nonce,
                false,
                new DEROctetString(new DEROctetString(nonce).getEncoded()))));

    OcspAnswer answer =
        ca.revocationAuthority()
            .ocsp(request.build().getEncoded(), source, NOW, Duration.ofMinutes(10));

    assertThat(answer.status()).isEqualTo(OcspAnswer.Status.REVOKED);
    OCSPResp response = new OCSPResp(answer.der());
    assertThat(response.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
    BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
    assertThat(
            basic.isSignatureValid(
                new JcaContentVerifierProviderBuilder()
                    .build(ca.issuingCertificate().getPublicKey())))
        .isTrue();
    assertThat(basic.getCerts())
        .containsExactly(new JcaX509CertificateHolder(ca.issuingCertificate()));
    assertThat(
            basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce).getExtnValue().getOctets())
        .isEqualTo(new DEROctetString(nonce).getEncoded());
    SingleResp[] singles = basic.getResponses();
    assertThat(singles).hasSize(3);
    RevokedStatus revoked = (RevokedStatus) singles[0].getCertStatus();
    assertThat(revoked.getRevocationTime()).isEqualTo(Date.from(revokedAt));
    assertThat(revoked.getRevocationReason()).isEqualTo(RevocationReason.SUPERSEDED.code());
    assertThat(singles[1].getCertStatus()).isEqualTo(CertificateStatus.GOOD);
    assertThat(singles[2].getCertStatus()).isInstanceOf(UnknownStatus.class);
    assertThat(singles[0].getThisUpdate()).isEqualTo(Date.from(NOW));
    assertThat(singles[0].getNextUpdate()).isEqualTo(Date.from(NOW.plus(Duration.ofMinutes(10))));
  }

  @Test
  void ocspGoodOnlyAndUnknownOnlyRequestsSayWhatTheyFound() throws Exception {
    OcspStatusSource nothingRevoked = serial -> Optional.empty();
    OCSPReqBuilder good = new OCSPReqBuilder();
    good.addRequest(id(ca, goodDevice));
    assertThat(
            ca.revocationAuthority()
                .ocsp(good.build().getEncoded(), nothingRevoked, NOW, Duration.ofMinutes(1))
                .status())
        .isEqualTo(OcspAnswer.Status.GOOD);
    OCSPReqBuilder foreign = new OCSPReqBuilder();
    foreign.addRequest(id(otherCa, otherCa.issueDevice("x", Validity.days(1))));
    assertThat(
            ca.revocationAuthority()
                .ocsp(foreign.build().getEncoded(), nothingRevoked, NOW, Duration.ofMinutes(1))
                .status())
        .isEqualTo(OcspAnswer.Status.UNKNOWN);
  }

  @Test
  void malformedOcspRequestsGetTheMalformedRequestStatus() throws Exception {
    OcspStatusSource source = serial -> Optional.empty();
    RevocationAuthority authority = ca.revocationAuthority();
    OCSPReqBuilder tooMany = new OCSPReqBuilder();
    for (int i = 0; i <= RevocationAuthority.MAX_OCSP_REQUESTS; i++) {
      tooMany.addRequest(id(ca, goodDevice));
    }
    for (byte[] bad :
        List.of(
            new byte[0],
            "not DER".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            new ASN1Integer(5).getEncoded(),
            java.util.Arrays.copyOf(tooMany.build().getEncoded(), 40),
            tooMany.build().getEncoded())) {
      OcspAnswer answer = authority.ocsp(bad, source, NOW, Duration.ofMinutes(1));
      assertThat(answer.status()).isEqualTo(OcspAnswer.Status.MALFORMED_REQUEST);
      assertThat(new OCSPResp(answer.der()).getStatus()).isEqualTo(OCSPResp.MALFORMED_REQUEST);
    }
  }

  @Test
  void reasonsParseByTheirRfcNames() {
    assertThat(RevocationReason.parse("keyCompromise")).contains(RevocationReason.KEY_COMPROMISE);
    assertThat(RevocationReason.parse("KEYCOMPROMISE")).contains(RevocationReason.KEY_COMPROMISE);
    assertThat(RevocationReason.parse("removeFromCRL")).isEmpty();
    assertThat(RevocationReason.ofCode(9)).contains(RevocationReason.PRIVILEGE_WITHDRAWN);
    assertThatThrownBy(() -> new RevokedSerial(BigInteger.ZERO, NOW, RevocationReason.UNSPECIFIED))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static CertificateID id(DevCertificateAuthority issuer, IssuedCertificate leaf)
      throws Exception {
    DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
    return new CertificateID(
        digests.get(CertificateID.HASH_SHA1),
        new JcaX509CertificateHolder(issuer.issuingCertificate()),
        leaf.certificate().getSerialNumber());
  }

  private static BigInteger serial(IssuedCertificate c) {
    return c.certificate().getSerialNumber();
  }

  static X509CRL parse(byte[] der) throws Exception {
    return (X509CRL)
        CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
  }
}

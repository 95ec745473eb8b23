package io.auditgate.controlplane.enrolment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.CsrPolicy;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.DeviceCsr;
import io.auditgate.certs.KeyAlgorithm;
import io.auditgate.certs.Validity;
import io.auditgate.controlplane.TestDatabase;
import io.auditgate.store.StoreOptions;
import io.auditgate.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrolmentTest {
  private static final Instant T0 = Instant.parse("2026-06-01T08:00:00Z");
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir static Path dir;
  private static MutableClock caClock;
  private static DevCertificateAuthority ca;

  private StoreOptions db;
  private MutableClock clock;
  private EnrolmentTokens tokens;
  private Enrolment enrolment;
  private final List<IssuanceRecord> heard = new CopyOnWriteArrayList<>();
  private final Set<String> revoked = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void createCa() {
    caClock = new MutableClock(T0);
    ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), caClock);
  }

  @BeforeEach
  void setUp() {
    db = TestDatabase.migrated();
    clock = new MutableClock(T0);
    tokens = new EnrolmentTokens(db, clock);
    enrolment =
        new Enrolment(
            db,
            ca.csrIssuer(CsrPolicy.defaults().withLifetime(Duration.ofDays(90))),
            certificate -> revoked.contains(sha256(certificate)),
            List.of(heard::add),
            clock);
  }

  @Test
  void aTokenEnrolsItsDeviceOnceAndTheIssuanceIsRecordedWithTheTokenConsumed() throws Exception {
    IssuedEnrolmentToken token = tokens.create("dev-1", Duration.ofHours(24));
    assertThat(token.secret()).matches("^aget_[A-Za-z0-9_-]{43}$");
    assertThat(token.toString()).doesNotContain(token.secret());
    KeyPair keys = KeyAlgorithm.EC_P256.generate(RANDOM);

    EnrolmentOutcome outcome =
        enrolment.simpleEnroll(token.secret(), DeviceCsr.create("dev-1", keys));

    EnrolmentOutcome.Issued issued = (EnrolmentOutcome.Issued) outcome;
    X509Certificate certificate = issued.certificate();
    assertThat(certificate.getPublicKey()).isEqualTo(keys.getPublic());
    assertThat(issued.chain()).containsExactly(certificate, ca.issuingCertificate());
    IssuanceRecord record = issued.record();
    assertThat(record.deviceId()).isEqualTo("dev-1");
    assertThat(record.method()).isEqualTo(IssuanceMethod.ENROLL);
    assertThat(record.sha256()).isEqualTo(sha256(certificate));
    assertThat(record.serialHex()).isEqualTo(certificate.getSerialNumber().toString(16));
    assertThat(record.issuedAt()).isEqualTo(T0);
    assertThat(record.notAfter()).isEqualTo(T0.plus(Duration.ofDays(90)));
    assertThat(record.der()).isEqualTo(certificate.getEncoded());
    assertThat(enrolment.issuances("dev-1"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.id()).isEqualTo(record.id());
              assertThat(r.sha256()).isEqualTo(record.sha256());
              assertThat(r.der()).isEqualTo(certificate.getEncoded());
            });
    assertThat(heard).extracting(IssuanceRecord::id).containsExactly(record.id());
    assertThat(
            TestDatabase.count(
                db,
                "SELECT count(*) FROM enrolment_tokens WHERE used_at IS NOT NULL AND issuance_id = "
                    + record.id()))
        .isEqualTo(1);

    EnrolmentOutcome again =
        enrolment.simpleEnroll(
            token.secret(), DeviceCsr.create("dev-1", KeyAlgorithm.EC_P256.generate(RANDOM)));
    assertRefused(again, EnrolmentRefusal.Kind.UNAUTHENTICATED, "token_used");
    assertThat(issuanceCount()).isEqualTo(1);
  }

  @Test
  void unknownMalformedAndExpiredTokensEnrolNothing() {
    byte[] csr = DeviceCsr.create("dev-1", KeyAlgorithm.EC_P256.generate(RANDOM));
    assertRefused(
        enrolment.simpleEnroll("not-a-token", csr),
        EnrolmentRefusal.Kind.UNAUTHENTICATED,
        "token_unknown");
    assertRefused(
        enrolment.simpleEnroll("aget_" + "A".repeat(43), csr),
        EnrolmentRefusal.Kind.UNAUTHENTICATED,
        "token_unknown");

    IssuedEnrolmentToken token = tokens.create("dev-1", Duration.ofHours(1));
    clock.advance(Duration.ofHours(1));

    assertRefused(
        enrolment.simpleEnroll(token.secret(), csr),
        EnrolmentRefusal.Kind.UNAUTHENTICATED,
        "token_expired");
    assertThat(issuanceCount()).isZero();
    assertThat(usedTokens()).isZero();
    assertThat(heard).isEmpty();
  }

  @Test
  void aCsrForAnotherDeviceOrABadCsrWritesNothingAndLeavesTheTokenUsable() {
    IssuedEnrolmentToken token = tokens.create("dev-1", Duration.ofHours(1));
    KeyPair keys = KeyAlgorithm.EC_P256.generate(RANDOM);

    assertRefused(
        enrolment.simpleEnroll(token.secret(), DeviceCsr.create("dev-2", keys)),
        EnrolmentRefusal.Kind.FORBIDDEN,
        "csr_identity_mismatch");
    assertRefused(
        enrolment.simpleEnroll(token.secret(), "garbage".getBytes(StandardCharsets.US_ASCII)),
        EnrolmentRefusal.Kind.BAD_REQUEST,
        "csr_malformed");
    assertRefused(
        enrolment.simpleEnroll(
            token.secret(), DeviceCsr.create("dev-1", KeyAlgorithm.RSA_2048.generate(RANDOM))),
        EnrolmentRefusal.Kind.BAD_REQUEST,
        null);
    // The last one passes (RSA 2048 is allowed): refusals above wrote nothing.
    assertThat(issuanceCount()).isEqualTo(1);
    assertThat(usedTokens()).isEqualTo(1);
    assertThat(enrolment.issuances("dev-2")).isEmpty();
  }

  @Test
  void twoConcurrentEnrolmentsWithOneTokenIssueExactlyOnce() throws Exception {
    IssuedEnrolmentToken token = tokens.create("dev-1", Duration.ofHours(1));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<EnrolmentOutcome>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        byte[] csr = DeviceCsr.create("dev-1", KeyAlgorithm.EC_P256.generate(RANDOM));
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return enrolment.simpleEnroll(token.secret(), csr);
                }));
      }
      start.countDown();
      List<EnrolmentOutcome> outcomes = new ArrayList<>();
      for (Future<EnrolmentOutcome> f : futures) {
        outcomes.add(f.get());
      }
      assertThat(outcomes).filteredOn(o -> o instanceof EnrolmentOutcome.Issued).hasSize(1);
      assertThat(outcomes)
          .filteredOn(o -> o instanceof EnrolmentOutcome.Refused)
          .hasSize(3)
          .allSatisfy(o -> assertRefused(o, EnrolmentRefusal.Kind.UNAUTHENTICATED, "token_used"));
    } finally {
      pool.shutdownNow();
    }
    assertThat(issuanceCount()).isEqualTo(1);
  }

  @Test
  void theSchemaItselfRefusesATokenConsumedWithoutAnIssuance() {
    tokens.create("dev-1", Duration.ofHours(1));
    assertThatThrownBy(
            () -> TestDatabase.execute(db, "UPDATE enrolment_tokens SET used_at = now()"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("enrolment_tokens_check");
  }

  @Test
  void reenrolmentWithTheCurrentCertificateIssuesForTheSameDeviceAndRecordsThePredecessor() {
    IssuedEnrolmentToken token = tokens.create("dev-1", Duration.ofHours(1));
    EnrolmentOutcome.Issued first =
        (EnrolmentOutcome.Issued)
            enrolment.simpleEnroll(
                token.secret(), DeviceCsr.create("dev-1", KeyAlgorithm.EC_P256.generate(RANDOM)));
    clock.advance(Duration.ofDays(60));

    EnrolmentOutcome outcome =
        enrolment.simpleReenroll(
            first.chain(), DeviceCsr.create("dev-1", KeyAlgorithm.EC_P384.generate(RANDOM)));

    EnrolmentOutcome.Issued second = (EnrolmentOutcome.Issued) outcome;
    assertThat(second.record().method()).isEqualTo(IssuanceMethod.REENROLL);
    assertThat(second.record().previousSha256()).contains(first.record().sha256());
    assertThat(second.record().issuedAt()).isEqualTo(T0.plus(Duration.ofDays(60)));
    assertThat(enrolment.issuances("dev-1"))
        .extracting(IssuanceRecord::method)
        .containsExactly(IssuanceMethod.ENROLL, IssuanceMethod.REENROLL);
    assertThat(heard).hasSize(2);
  }

  @Test
  void aReenrolmentAnsweringAPendingMqttRenewalRequestIsRecordedAsSuch() {
    RenewalRequests requests = new RenewalRequests(Duration.ofMinutes(10), clock);
    Enrolment tagging = enrolment.withRenewalRequests(requests);
    List<X509Certificate> current = ca.issueDevice("dev-1", Validity.days(30)).chain();

    requests.requested("dev-1");
    EnrolmentOutcome answered =
        tagging.simpleReenroll(
            current, DeviceCsr.create("dev-1", KeyAlgorithm.EC_P256.generate(RANDOM)));
    EnrolmentOutcome unasked =
        tagging.simpleReenroll(
            current, DeviceCsr.create("dev-1", KeyAlgorithm.EC_P256.generate(RANDOM)));
    requests.requested("dev-1");
    clock.advance(Duration.ofMinutes(11));
    EnrolmentOutcome late =
        tagging.simpleReenroll(
            current, DeviceCsr.create("dev-1", KeyAlgorithm.EC_P256.generate(RANDOM)));

    assertThat(
            List.of(answered, unasked, late).stream()
                .map(o -> ((EnrolmentOutcome.Issued) o).record().method())
                .toList())
        .containsExactly(
            IssuanceMethod.MQTT_RENEWAL, IssuanceMethod.REENROLL, IssuanceMethod.REENROLL);
  }

  @Test
  void reenrolmentIsRefusedForAnotherDeviceARevokedExpiredForeignOrMissingCertificate() {
    List<X509Certificate> current = ca.issueDevice("dev-1", Validity.days(30)).chain();
    byte[] forDev1 = DeviceCsr.create("dev-1", KeyAlgorithm.EC_P256.generate(RANDOM));

    assertRefused(
        enrolment.simpleReenroll(
            current, DeviceCsr.create("dev-2", KeyAlgorithm.EC_P256.generate(RANDOM))),
        EnrolmentRefusal.Kind.FORBIDDEN,
        "csr_identity_mismatch");
    assertRefused(
        enrolment.simpleReenroll(ca.issueDevice("dev-1", Validity.expired()).chain(), forDev1),
        EnrolmentRefusal.Kind.UNAUTHENTICATED,
        "certificate_expired");
    DevCertificateAuthority foreign =
        DevCertificateAuthority.create(
            dir.resolve("foreign-" + RANDOM.nextInt(1_000_000)),
            CaOptions.defaults(),
            Optional.empty(),
            caClock);
    assertRefused(
        enrolment.simpleReenroll(foreign.issueDevice("dev-1", Validity.days(30)).chain(), forDev1),
        EnrolmentRefusal.Kind.UNAUTHENTICATED,
        "certificate_untrusted");
    assertRefused(
        enrolment.simpleReenroll(List.of(), forDev1),
        EnrolmentRefusal.Kind.UNAUTHENTICATED,
        "certificate_missing");
    revoked.add(sha256(current.get(0)));
    assertRefused(
        enrolment.simpleReenroll(current, forDev1),
        EnrolmentRefusal.Kind.FORBIDDEN,
        "certificate_revoked");
    assertThat(issuanceCount()).isZero();
    assertThat(heard).isEmpty();
  }

  @Test
  void anOperatorIssuesOfflineAndAFailingListenerDoesNotUndoTheIssuance() {
    Enrolment withBrokenListener =
        new Enrolment(
            db,
            ca.csrIssuer(CsrPolicy.defaults()),
            RevocationStatus.NONE_REVOKED,
            List.of(
                r -> {
                  throw new IllegalStateException("inventory down");
                },
                heard::add),
            clock);

    EnrolmentOutcome outcome =
        withBrokenListener.issueForOperator(
            "dev-9", DeviceCsr.create("dev-9", KeyAlgorithm.EC_P256.generate(RANDOM)));

    assertThat(((EnrolmentOutcome.Issued) outcome).record().method())
        .isEqualTo(IssuanceMethod.OPERATOR);
    assertThat(issuanceCount()).isEqualTo(1);
    assertThat(heard).hasSize(1);
    assertThatThrownBy(() -> tokens.create("dev-1", Duration.ofDays(31)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tokens.create("not a device", Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private long issuanceCount() {
    return TestDatabase.count(db, "SELECT count(*) FROM certificate_issuances");
  }

  private long usedTokens() {
    return TestDatabase.count(
        db, "SELECT count(*) FROM enrolment_tokens WHERE used_at IS NOT NULL");
  }

  /** Asserts a refusal; a null code asserts an issuance instead (for sequences). */
  private static void assertRefused(
      EnrolmentOutcome outcome, EnrolmentRefusal.Kind kind, String code) {
    if (code == null) {
      assertThat(outcome).isInstanceOf(EnrolmentOutcome.Issued.class);
      return;
    }
    assertThat(outcome)
        .isInstanceOfSatisfying(
            EnrolmentOutcome.Refused.class,
            r -> {
              assertThat(r.refusal().code()).isEqualTo(code);
              assertThat(r.refusal().kind()).isEqualTo(kind);
            });
  }

  static String sha256(X509Certificate certificate) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

package io.auditgate.controlplane.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.Validity;
import io.auditgate.controlplane.alerts.AlertCondition;
import io.auditgate.controlplane.alerts.AlertConditions;
import io.auditgate.controlplane.alerts.AlertRule;
import io.auditgate.store.StoreOptions;
import io.auditgate.testkit.MutableClock;
import io.auditgate.testkit.TestCertificates;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules per certificate ({@code Inventories.alertConditions}) over a real PostgreSQL and
 * real certificates: each rule names the certificates the posture summary counts for it.
 */
class PostureAlertConditionsTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path dir;
  private final StoreOptions db = InventoryTestStore.migratedDatabase();
  private final MutableClock clock = new MutableClock(T0);
  private final FakeRevocations revocations = new FakeRevocations();
  private DevCertificateAuthority ca;
  private CertificateInventory inventory;
  private AlertConditions conditions;

  @BeforeEach
  void setUp() {
    ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), clock);
    use(InventoryPolicy.defaults());
    inventory.record(
        List.of(ca.issuingCertificate()), Sighting.of(SourceKind.TRUST_BUNDLE, "clients", T0));
  }

  @AfterEach
  void close() {
    inventory.close();
  }

  private void use(InventoryPolicy policy) {
    if (inventory != null) {
      inventory.close();
    }
    inventory = Inventories.jdbc(db, clock, revocations, List.of(ca.rootCertificate()), policy);
    conditions = Inventories.alertConditions(db, revocations, policy);
  }

  private IssuedCertificate device(String id, int days) {
    IssuedCertificate c = ca.issueDevice(id, Validity.days(days));
    inventory.record(c.chain(), seen(id, clock.instant()));
    return c;
  }

  private static Sighting seen(String device, Instant at) {
    return new Sighting(SourceKind.LISTENER_MQTT, "mqtt-tls", Optional.of(device), at, Map.of());
  }

  private Map<String, List<AlertRule>> firing() {
    return conditions.firing(clock.instant()).stream()
        .collect(
            Collectors.groupingBy(
                AlertCondition::sha256,
                Collectors.mapping(AlertCondition::rule, Collectors.toList())));
  }

  private List<AlertRule> rulesOf(IssuedCertificate c) {
    return firing().getOrDefault(c.sha256Fingerprint(), List.of());
  }

  private long count(AlertRule rule) {
    return conditions.firing(clock.instant()).stream().filter(c -> c.rule() == rule).count();
  }

  @Test
  void aCertificateIsReportedUnderTheTightestExpiryWindowOnly() {
    IssuedCertificate c = device("d1", 100);
    InventoryTestStore.registerDevice(db, "d1");
    inventory.bind(c.sha256Fingerprint(), BindingKind.DEVICE, "d1");
    assertThat(rulesOf(c)).as("100 days left: in no window").isEmpty();

    clock.advance(Duration.ofDays(15)); // 85 days left
    assertThat(rulesOf(c)).containsExactly(AlertRule.EXPIRING_90_DAYS);

    clock.advance(Duration.ofDays(30)); // 55 days left
    assertThat(rulesOf(c)).containsExactly(AlertRule.EXPIRING_60_DAYS);

    clock.advance(Duration.ofDays(30)); // 25 days left, past two thirds of 100 days
    assertThat(rulesOf(c))
        .containsExactlyInAnyOrder(AlertRule.EXPIRING_30_DAYS, AlertRule.LOW_REMAINING_LIFETIME);
    AlertCondition expiring =
        conditions.firing(clock.instant()).stream()
            .filter(x -> x.rule() == AlertRule.EXPIRING_30_DAYS)
            .findFirst()
            .orElseThrow();
    assertThat(expiring.details()).containsEntry("days_left", "25");
    assertThat(expiring.subject()).isEqualTo("CN=d1");

    clock.advance(Duration.ofDays(30));
    assertThat(rulesOf(c))
        .as("expired replaces every in-service rule")
        .containsExactly(AlertRule.EXPIRED);
  }

  @Test
  void anExpiredCertificateWithANewerOneForItsDeviceRaisesNothing() {
    IssuedCertificate old = device("d1", 10);
    clock.advance(Duration.ofDays(5));
    IssuedCertificate renewed = device("d1", 365);
    clock.advance(Duration.ofDays(10));

    assertThat(rulesOf(old)).isEmpty();
    assertThat(rulesOf(renewed)).containsExactly(AlertRule.UNBOUND);
  }

  @Test
  void unboundSharedAndUntrustedNameWhatThePostureCounts() {
    IssuedCertificate bound = device("d1", 365);
    InventoryTestStore.registerDevice(db, "d1");
    inventory.bind(bound.sha256Fingerprint(), BindingKind.DEVICE, "d1");
    IssuedCertificate cloned = device("d2", 365);
    inventory.record(cloned.chain(), seen("d9", T0.plusSeconds(5)));
    DevCertificateAuthority other =
        DevCertificateAuthority.create(
            dir.resolve("other"), CaOptions.defaults(), Optional.empty(), clock);
    X509Certificate stranger = other.issueDevice("x", Validity.days(365)).certificate();
    inventory.record(List.of(stranger), seen("x", T0));

    assertThat(rulesOf(bound)).isEmpty();
    assertThat(rulesOf(cloned)).containsExactlyInAnyOrder(AlertRule.SHARED, AlertRule.UNBOUND);
    PostureSummary p = inventory.posture();
    assertThat(count(AlertRule.SHARED)).isEqualTo(p.shared()).isEqualTo(1);
    assertThat(count(AlertRule.UNBOUND)).isEqualTo(p.unbound()).isEqualTo(2);
    assertThat(count(AlertRule.UNTRUSTED_CHAIN)).isEqualTo(p.untrusted()).isEqualTo(1);
  }

  @Test
  void aRevokedCertificateAlertsOnlyWhenSeenConnectingAfterItsRevocation() {
    IssuedCertificate connecting = device("d1", 20);
    IssuedCertificate quiet = device("d2", 20);
    revocations.revoke(connecting.sha256Fingerprint(), T0.plusSeconds(60), "keyCompromise");
    revocations.revoke(quiet.sha256Fingerprint(), T0.plusSeconds(60), "keyCompromise");
    inventory.record(connecting.chain(), seen("d1", T0.plusSeconds(120)));

    assertThat(rulesOf(connecting)).containsExactly(AlertRule.REVOKED_STILL_SEEN);
    assertThat(rulesOf(quiet)).as("revoked: no expiry, unbound or other rule").isEmpty();
    AlertCondition c =
        conditions.firing(clock.instant()).stream()
            .filter(x -> x.rule() == AlertRule.REVOKED_STILL_SEEN)
            .findFirst()
            .orElseThrow();
    assertThat(c.details()).containsEntry("reason", "keyCompromise");
    assertThat(count(AlertRule.REVOKED_STILL_SEEN))
        .isEqualTo(inventory.posture().revokedStillConnecting());
  }

  @Test
  void weakKeysWeakSignaturesAndOldCertificates() throws Exception {
    use(new InventoryPolicy(List.of(30, 60, 90), Duration.ofDays(100)));
    Instant from = T0.minusSeconds(60);
    Instant to = T0.plus(Duration.ofDays(1000));
    X509Certificate rsa1024 =
        TestCertificates.selfSigned(
            "CN=old-cam", TestCertificates.rsa(1024), "SHA256withRSA", from, to, false);
    X509Certificate sha1 =
        TestCertificates.selfSigned(
            "CN=old-plc", TestCertificates.rsa(2048), "SHA1withRSA", from, to, false);
    for (X509Certificate c : List.of(rsa1024, sha1)) {
      inventory.record(List.of(c), Sighting.of(SourceKind.ENDPOINT, "10.0.0.9:443", T0));
    }
    PostureSummary p = inventory.posture();
    assertThat(count(AlertRule.WEAK_KEY)).isEqualTo(p.weakKeys()).isEqualTo(1);
    assertThat(count(AlertRule.WEAK_SIGNATURE)).isEqualTo(p.sha1Signatures()).isEqualTo(1);
    assertThat(count(AlertRule.TOO_OLD)).isZero();

    clock.advance(Duration.ofDays(101));
    assertThat(count(AlertRule.TOO_OLD))
        .as("both strangers and the issuing CA")
        .isEqualTo(inventory.posture().olderThanMaxAge())
        .isEqualTo(3);
  }
}

package io.auditgate.controlplane.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.Validity;
import io.auditgate.store.StoreOptions;
import io.auditgate.testkit.MutableClock;
import io.auditgate.testkit.TestCertificates;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each posture rule on its own, over a real PostgreSQL and real certificates. */
class PostureSummaryTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path dir;
  private final StoreOptions db = InventoryTestStore.migratedDatabase();
  private final MutableClock clock = new MutableClock(T0);
  private final FakeRevocations revocations = new FakeRevocations();
  private DevCertificateAuthority ca;
  private CertificateInventory inventory;

  @org.junit.jupiter.api.AfterEach
  void close() {
    inventory.close();
  }

  @BeforeEach
  void setUp() {
    ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), clock);
    inventory = inventory(InventoryPolicy.defaults());
  }

  private CertificateInventory inventory(InventoryPolicy policy) {
    return Inventories.jdbc(db, clock, revocations, List.of(ca.rootCertificate()), policy);
  }

  private IssuedCertificate device(String id, int days) {
    IssuedCertificate c = ca.issueDevice(id, Validity.days(days));
    // the leaf alone, with the issuing CA known from a trust bundle, keeps the counts to leaves
    inventory.record(
        List.of(ca.issuingCertificate()), Sighting.of(SourceKind.TRUST_BUNDLE, "clients", T0));
    inventory.record(c.chain(), seen(SourceKind.LISTENER_MQTT, id, clock.instant()));
    return c;
  }

  private static Sighting seen(SourceKind source, String device, Instant at) {
    return new Sighting(source, "mqtt-tls", Optional.of(device), at, Map.of());
  }

  @Test
  void anEmptyInventoryCountsNothing() {
    PostureSummary p = inventory.posture();
    assertThat(p.total()).isZero();
    assertThat(p.byStatus()).hasSize(6).allSatisfy((s, n) -> assertThat(n).isZero());
    assertThat(p.expiringWithin())
        .containsExactly(Map.entry(30, 0L), Map.entry(60, 0L), Map.entry(90, 0L));
    assertThat(p.evaluatedAt()).isEqualTo(T0);
  }

  @Test
  void countsByStatusAndByExpiryWindow() {
    device("d20", 20);
    device("d50", 50);
    device("d80", 80);
    device("d200", 200);
    IssuedCertificate revoked = device("drev", 60);
    // revoked: no longer in service, so in no expiry window
    revocations.revoke(revoked.sha256Fingerprint(), T0, "keyCompromise");
    clock.advance(Duration.ofDays(10));

    PostureSummary p = inventory.posture();

    // d20 has 10 days left of 20: under a third? 10*3 = 30 > 20, no. d50: 40 left of 50, no.
    assertThat(p.total()).isEqualTo(6);
    assertThat(p.byStatus())
        .containsEntry(CertificateStatus.ACTIVE, 5L)
        .containsEntry(CertificateStatus.REVOKED, 1L)
        .containsEntry(CertificateStatus.EXPIRING_SOON, 0L);
    assertThat(p.expiringWithin())
        .containsExactly(Map.entry(30, 1L), Map.entry(60, 2L), Map.entry(90, 3L));

    clock.advance(Duration.ofDays(6));
    p = inventory.posture();
    assertThat(p.byStatus())
        .as("d20: 4 days left of 20")
        .containsEntry(CertificateStatus.EXPIRING_SOON, 1L);

    clock.advance(Duration.ofDays(5));
    p = inventory.posture();
    assertThat(p.byStatus()).containsEntry(CertificateStatus.EXPIRED, 1L);
    // day 21: d50 has 29 days left, d80 59
    assertThat(p.expiringWithin())
        .containsExactly(Map.entry(30, 1L), Map.entry(60, 2L), Map.entry(90, 2L));
  }

  @Test
  void theStatusCountsAgreeWithTheStatusOfEachCertificate() throws Exception {
    device("a", 365);
    device("soon", 30);
    IssuedCertificate gone = device("gone", 10);
    IssuedCertificate revokedAndSoon = device("rs", 30);
    IssuedCertificate revokedAndExpired = device("re", 5);
    IssuedCertificate old = device("r", 365);
    clock.advance(Duration.ofDays(1));
    device("r", 365);
    DevCertificateAuthority other =
        DevCertificateAuthority.create(
            dir.resolve("other"), CaOptions.defaults(), Optional.empty(), clock);
    inventory.record(
        List.of(other.issueDevice("x", Validity.days(30)).certificate()),
        seen(SourceKind.LISTENER_MQTT, "x", clock.instant()));
    revocations.revoke(revokedAndSoon.sha256Fingerprint(), clock.instant(), "superseded");
    revocations.revoke(revokedAndExpired.sha256Fingerprint(), clock.instant(), "superseded");
    revocations.revoke(old.sha256Fingerprint(), clock.instant(), "superseded");
    clock.advance(Duration.ofDays(22));

    Map<CertificateStatus, Long> counted = new java.util.EnumMap<>(CertificateStatus.class);
    for (CertificateStatus s : CertificateStatus.values()) {
      counted.put(s, 0L);
    }
    for (CertificateSummary s : inventory.list(CertificateQuery.all().page(0, 1000)).items()) {
      counted.merge(s.status(), 1L, Long::sum);
    }
    PostureSummary p = inventory.posture();

    assertThat(p.byStatus()).isEqualTo(counted);
    assertThat(counted)
        .containsEntry(CertificateStatus.REVOKED, 3L)
        .containsEntry(CertificateStatus.EXPIRED, 1L)
        .containsEntry(CertificateStatus.EXPIRING_SOON, 1L)
        .containsEntry(CertificateStatus.UNTRUSTED, 1L);
    assertThat(inventory.detail(gone.sha256Fingerprint()).orElseThrow().summary().status())
        .isEqualTo(CertificateStatus.EXPIRED);
  }

  @Test
  void unboundCountsLeavesInServiceBoundToNothing() {
    IssuedCertificate bound = device("d1", 365);
    IssuedCertificate gatewayBound = device("d2", 365);
    IssuedCertificate loose = device("d3", 365);
    InventoryTestStore.registerDevice(db, "d1");
    inventory.bind(bound.sha256Fingerprint(), BindingKind.DEVICE, "d1");
    inventory.bind(gatewayBound.sha256Fingerprint(), BindingKind.GATEWAY, "gw-1");

    assertThat(inventory.posture().unbound()).as("d3 only; the issuing CA is no leaf").isEqualTo(1);
    assertThat(listed(PostureCondition.UNBOUND)).containsExactly(loose.sha256Fingerprint());

    // The registry binds d3's certificate itself (not through the inventory): still counted right.
    InventoryTestStore.registerDevice(db, "d3");
    InventoryTestStore.execute(
        db,
        "UPDATE devices SET bound_certificate_sha256 = (SELECT sha256 FROM certificates"
            + " WHERE device_id = 'd3') WHERE device_id = 'd3'");
    assertThat(inventory.posture().unbound()).isZero();
    inventory.unbind(gatewayBound.sha256Fingerprint(), BindingKind.GATEWAY, "gw-1");
    assertThat(inventory.posture().unbound()).isEqualTo(1);
  }

  @Test
  void sharedCountsCertificatesPresentedByMoreThanOneDevice() {
    IssuedCertificate cloned = device("d1", 365);
    device("d2", 365);
    inventory.record(cloned.chain(), seen(SourceKind.LISTENER_MQTT, "d9", T0.plusSeconds(5)));
    inventory.record(cloned.chain(), seen(SourceKind.LISTENER_MQTT, "d9", T0.plusSeconds(6)));

    assertThat(inventory.posture().shared()).isEqualTo(1);
    assertThat(listed(PostureCondition.SHARED)).containsExactly(cloned.sha256Fingerprint());
  }

  @Test
  void revokedButStillConnectingNeedsAListenerSightingAfterTheRevocation() {
    IssuedCertificate connecting = device("d1", 365);
    IssuedCertificate quiet = device("d2", 365);
    IssuedCertificate onlyInAFile = device("d3", 365);
    revocations.revoke(connecting.sha256Fingerprint(), T0.plusSeconds(60), "keyCompromise");
    revocations.revoke(quiet.sha256Fingerprint(), T0.plusSeconds(60), "keyCompromise");
    revocations.revoke(onlyInAFile.sha256Fingerprint(), T0.plusSeconds(60), "superseded");

    inventory.record(connecting.chain(), seen(SourceKind.LISTENER_MQTT, "d1", T0.plusSeconds(120)));
    inventory.record(
        onlyInAFile.chain(), Sighting.of(SourceKind.FILE, "/backup/d3.pem", T0.plusSeconds(120)));

    PostureSummary p = inventory.posture();
    assertThat(p.revokedStillConnecting()).isEqualTo(1);
    assertThat(listed(PostureCondition.REVOKED_STILL_CONNECTING))
        .containsExactly(connecting.sha256Fingerprint());
    assertThat(p.byStatus()).containsEntry(CertificateStatus.REVOKED, 3L);
  }

  @Test
  void weakKeysAndSha1SignaturesAreCountedApart() throws Exception {
    Instant from = T0.minusSeconds(60);
    Instant to = T0.plus(Duration.ofDays(100));
    X509Certificate rsa1024 =
        TestCertificates.selfSigned(
            "CN=old-cam", TestCertificates.rsa(1024), "SHA256withRSA", from, to, false);
    X509Certificate sha1 =
        TestCertificates.selfSigned(
            "CN=old-plc", TestCertificates.rsa(2048), "SHA1withRSA", from, to, false);
    KeyPair both = TestCertificates.rsa(1024);
    X509Certificate worst =
        TestCertificates.selfSigned("CN=ancient", both, "SHA1withRSA", from, to, false);
    device("fine", 365);
    for (X509Certificate c : List.of(rsa1024, sha1, worst)) {
      inventory.record(List.of(c), Sighting.of(SourceKind.ENDPOINT, "10.0.0.9:443", T0));
    }

    PostureSummary p = inventory.posture();
    assertThat(p.weakKeys()).isEqualTo(2);
    assertThat(p.sha1Signatures()).isEqualTo(2);
    assertThat(p.untrusted()).as("the three self-signed strangers").isEqualTo(3);
    assertThat(p.byStatus()).containsEntry(CertificateStatus.UNTRUSTED, 3L);
    assertThat(listed(PostureCondition.WEAK_KEY)).hasSize(2);
    assertThat(listed(PostureCondition.SHA1_SIGNATURE)).hasSize(2);
    assertThat(listed(PostureCondition.UNTRUSTED)).hasSize(3);
  }

  @Test
  void untrustedChainsAreCounted() {
    DevCertificateAuthority other =
        DevCertificateAuthority.create(
            dir.resolve("other"), CaOptions.defaults(), Optional.empty(), clock);
    device("mine", 365);
    inventory.record(
        List.of(other.issueDevice("theirs", Validity.days(365)).certificate()),
        seen(SourceKind.LISTENER_MQTT, "theirs", T0));

    assertThat(inventory.posture().untrusted()).isEqualTo(1);
    assertThat(listed(PostureCondition.UNTRUSTED)).hasSize(1);
  }

  @Test
  void certificatesOlderThanTheMaximumAgeAreCounted() {
    inventory = inventory(new InventoryPolicy(List.of(30, 60, 90), Duration.ofDays(100)));
    device("old", 3650);
    clock.advance(Duration.ofDays(50));
    device("young", 3650);
    clock.advance(Duration.ofDays(51));

    PostureSummary p = inventory.posture();
    // the issuing CA was created at T0 too: it counts as well
    assertThat(p.olderThanMaxAge()).isEqualTo(2);
    assertThat(listed(PostureCondition.OLDER_THAN_MAX_AGE)).hasSize(2);
  }

  /** The fingerprints the list filter for a posture rule returns: the rule's count, listed. */
  private List<String> listed(PostureCondition condition) {
    return inventory.list(CertificateQuery.all().withCondition(condition)).items().stream()
        .map(CertificateSummary::sha256)
        .toList();
  }
}

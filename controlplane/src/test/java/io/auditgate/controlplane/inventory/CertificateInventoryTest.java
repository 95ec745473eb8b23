package io.auditgate.controlplane.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.Validity;
import io.auditgate.store.StoreOptions;
import io.auditgate.testkit.MutableClock;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inventory over a real PostgreSQL, with real certificates from a development CA. */
class CertificateInventoryTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path dir;
  private final StoreOptions db = InventoryTestStore.migratedDatabase();
  private final MutableClock clock = new MutableClock(T0);
  private final FakeRevocations revocations = new FakeRevocations();
  private DevCertificateAuthority ca;
  private DevCertificateAuthority stranger;
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
    stranger =
        DevCertificateAuthority.create(
            dir.resolve("other"), CaOptions.defaults(), Optional.empty(), clock);
    inventory =
        Inventories.jdbc(
            db, clock, revocations, List.of(ca.rootCertificate()), InventoryPolicy.defaults());
  }

  private Sighting mqtt(String device) {
    return new Sighting(
        SourceKind.LISTENER_MQTT, "mqtt-tls", Optional.of(device), clock.instant(), Map.of());
  }

  @Test
  void recordingAChainAddsEachCertificateOnceAndMovesTheSighting() {
    IssuedCertificate device = ca.issueDevice("dev-1", Validity.days(365));

    RecordOutcome first = inventory.record(device.chain(), mqtt("dev-1"));
    clock.advance(Duration.ofMinutes(5));
    RecordOutcome second = inventory.record(device.chain(), mqtt("dev-1"));

    assertThat(first.sha256s()).hasSize(2).startsWith(device.sha256Fingerprint());
    assertThat(first.added()).isEqualTo(first.sha256s());
    assertThat(second.added()).isEmpty();
    assertThat(
            InventoryTestStore.rows(
                db,
                "SELECT source, location, device_id, seen_count,"
                    + " extract(epoch FROM last_seen_at - first_seen_at)::int"
                    + " FROM certificate_sightings WHERE sha256 = '"
                    + device.sha256Fingerprint()
                    + "'"))
        .containsExactly(List.of("listener_mqtt", "mqtt-tls", "dev-1", "2", "300"));
    assertThat(
            InventoryTestStore.rows(
                db,
                "SELECT count(*), count(*) FILTER (WHERE device_id = '') FROM certificate_sightings"))
        .as("the issuing CA was seen too, without the device")
        .containsExactly(List.of("2", "1"));

    CertificateDetail detail = inventory.detail(device.sha256Fingerprint()).orElseThrow();
    CertificateSummary s = detail.summary();
    assertThat(s.subject()).isEqualTo("CN=dev-1");
    assertThat(s.deviceId()).contains("dev-1");
    assertThat(s.keyType()).isEqualTo("ec");
    assertThat(s.keyBits()).isEqualTo(256);
    assertThat(s.signatureAlgorithm()).isEqualTo("SHA256withECDSA");
    assertThat(s.serialHex()).isEqualTo(device.certificate().getSerialNumber().toString(16));
    assertThat(s.notAfter()).isEqualTo(device.certificate().getNotAfter().toInstant());
    assertThat(s.trusted()).isTrue();
    assertThat(s.status()).isEqualTo(CertificateStatus.ACTIVE);
    assertThat(s.firstSeenAt()).isEqualTo(T0);
    assertThat(s.lastSeenAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    assertThat(detail.uris()).containsExactly("urn:auditgate:device:dev-1");
    assertThat(detail.keyCurve()).contains("P-256");
    assertThat(detail.extendedKeyUsage()).containsExactly("clientAuth");
    assertThat(detail.der()).isEqualTo(encoded(device.certificate()));
    assertThat(detail.chain())
        .containsExactly(
            device.sha256Fingerprint(), sha(ca.issuingCertificate()), sha(ca.rootCertificate()));
    assertThat(detail.sightings())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.source()).isEqualTo(SourceKind.LISTENER_MQTT);
              assertThat(v.count()).isEqualTo(2);
              assertThat(v.deviceId()).contains("dev-1");
            });
    assertThat(detail.renewal()).isEqualTo(RenewalView.NOT_STARTED);
    assertThat(detail.revocation()).isEmpty();
  }

  @Test
  void statusIsDerivedFromTheCertificateTheClockAndRevocation() {
    IssuedCertificate yearLong = ca.issueDevice("dev-a", Validity.days(365));
    IssuedCertificate monthLong = ca.issueDevice("dev-b", Validity.days(30));
    IssuedCertificate revoked = ca.issueDevice("dev-c", Validity.days(365));
    IssuedCertificate foreign = stranger.issueDevice("dev-d", Validity.days(365));
    for (IssuedCertificate i : List.of(yearLong, monthLong, revoked, foreign)) {
      inventory.record(i.chain(), Sighting.of(SourceKind.FILE, "/etc/certs", T0));
    }
    revocations.revoke(revoked.sha256Fingerprint(), T0.plusSeconds(60), "keyCompromise");

    assertThat(status(yearLong)).isEqualTo(CertificateStatus.ACTIVE);
    assertThat(status(monthLong))
        .as("30 days left of 30: inside the 90-day window but not under a third of its life")
        .isEqualTo(CertificateStatus.ACTIVE);
    assertThat(status(revoked)).isEqualTo(CertificateStatus.REVOKED);
    assertThat(status(foreign)).isEqualTo(CertificateStatus.UNTRUSTED);
    assertThat(inventory.detail(foreign.sha256Fingerprint()).orElseThrow().summary().trustReason())
        .contains("unknown_issuer");
    assertThat(inventory.detail(revoked.sha256Fingerprint()).orElseThrow().revocation())
        .map(Revocation::reason)
        .contains("keyCompromise");

    clock.set(T0.plus(21, ChronoUnit.DAYS));
    assertThat(status(monthLong))
        .as("9 days left of 30")
        .isEqualTo(CertificateStatus.EXPIRING_SOON);
    assertThat(status(yearLong)).isEqualTo(CertificateStatus.ACTIVE);

    clock.set(T0.plus(280, ChronoUnit.DAYS));
    assertThat(status(yearLong))
        .as("85 days left of 365")
        .isEqualTo(CertificateStatus.EXPIRING_SOON);
    assertThat(status(monthLong)).isEqualTo(CertificateStatus.EXPIRED);
    assertThat(status(revoked)).as("revocation wins").isEqualTo(CertificateStatus.REVOKED);
  }

  @Test
  void aNewerCertificateForTheSameDeviceReplacesTheOlder() {
    IssuedCertificate old = ca.issueDevice("dev-r", Validity.days(365));
    inventory.record(old.chain(), mqtt("dev-r"));
    clock.advance(Duration.ofDays(200));
    IssuedCertificate renewed = ca.issueDevice("dev-r", Validity.days(365));
    inventory.record(renewed.chain(), mqtt("dev-r"));

    assertThat(status(old)).isEqualTo(CertificateStatus.REPLACED);
    assertThat(inventory.detail(old.sha256Fingerprint()).orElseThrow().summary().replacedBy())
        .contains(renewed.sha256Fingerprint());
    assertThat(status(renewed)).isEqualTo(CertificateStatus.ACTIVE);

    // Seeing the old one again (a device still using it) does not undo the replacement.
    inventory.record(old.chain(), mqtt("dev-r"));
    assertThat(status(old)).isEqualTo(CertificateStatus.REPLACED);
  }

  @Test
  void listsFilterSortAndPage() {
    IssuedCertificate a = ca.issueDevice("dev-1", Validity.days(20));
    IssuedCertificate b = ca.issueDevice("dev-2", Validity.days(200));
    IssuedCertificate c = ca.issueServer(List.of("gw.example"), Validity.days(60));
    inventory.record(a.chain(), mqtt("dev-1"));
    inventory.record(b.chain(), Sighting.of(SourceKind.FILE, "/certs/b.pem", T0));
    inventory.record(c.chain(), Sighting.of(SourceKind.ENDPOINT, "gw.example:8883", T0));

    Page<CertificateSummary> all = inventory.list(CertificateQuery.all());
    assertThat(all.total()).isEqualTo(3 + 1);
    assertThat(all.items())
        .extracting(CertificateSummary::sha256)
        .startsWith(a.sha256Fingerprint(), c.sha256Fingerprint(), b.sha256Fingerprint());

    assertThat(sha256s(CertificateQuery.all().withExpiringWithinDays(90)))
        .containsExactly(a.sha256Fingerprint(), c.sha256Fingerprint());
    assertThat(sha256s(CertificateQuery.all().withDevice("dev-1")))
        .containsExactly(a.sha256Fingerprint());
    assertThat(sha256s(CertificateQuery.all().withSource(SourceKind.ENDPOINT)))
        .containsExactlyInAnyOrder(c.sha256Fingerprint(), sha(ca.issuingCertificate()));
    assertThat(
            sha256s(
                CertificateQuery.all()
                    .withIssuer(ca.rootCertificate().getSubjectX500Principal().getName())))
        .containsExactly(sha(ca.issuingCertificate()));
    assertThat(sha256s(CertificateQuery.all().withKeyType("rsa"))).isEmpty();
    assertThat(sha256s(CertificateQuery.all().withStatus(CertificateStatus.EXPIRING_SOON)))
        .as("20-day certificate: 20 days left is not under a third of its life")
        .isEmpty();

    clock.advance(Duration.ofDays(15));
    assertThat(sha256s(CertificateQuery.all().withStatus(CertificateStatus.EXPIRING_SOON)))
        .containsExactly(a.sha256Fingerprint());

    Page<CertificateSummary> page =
        inventory.list(CertificateQuery.all().sortedBy(CertificateSort.NOT_AFTER, true).page(1, 2));
    assertThat(page.total()).isEqualTo(4);
    assertThat(page.items())
        .extracting(CertificateSummary::sha256)
        .containsExactly(b.sha256Fingerprint(), c.sha256Fingerprint());
    assertThat(page.hasMore()).isTrue();

    assertThat(inventory.expiring(30, 10))
        .extracting(CertificateSummary::sha256)
        .containsExactly(a.sha256Fingerprint());
    revocations.revoke(a.sha256Fingerprint(), clock.instant(), "superseded");
    assertThat(inventory.expiring(30, 10))
        .as("a revoked certificate is no longer in service")
        .isEmpty();
  }

  @Test
  void aDeviceBindingIsExclusiveAndOtherBindingsAreMany() {
    IssuedCertificate cert = ca.issueDevice("dev-1", Validity.days(365));
    inventory.record(cert.chain(), mqtt("dev-1"));
    String sha = cert.sha256Fingerprint();
    InventoryTestStore.registerDevice(db, "dev-1");
    InventoryTestStore.registerDevice(db, "dev-2");

    assertThat(inventory.bind(sha, BindingKind.DEVICE, "dev-1"))
        .isInstanceOf(BindOutcome.Bound.class);
    assertThat(inventory.bind(sha, BindingKind.DEVICE, "dev-2"))
        .isEqualTo(new BindOutcome.BoundElsewhere(sha, "dev-1"));
    assertThat(inventory.bind(sha, BindingKind.DEVICE, "nobody"))
        .isEqualTo(new BindOutcome.UnknownDevice("nobody"));
    assertThat(inventory.bind("ab".repeat(32), BindingKind.GATEWAY, "gw-1"))
        .isEqualTo(new BindOutcome.UnknownCertificate("ab".repeat(32)));
    assertThat(inventory.bind(sha, BindingKind.TRUST_BUNDLE, "client-ca"))
        .isInstanceOf(BindOutcome.Bound.class);
    assertThat(inventory.bind(sha, BindingKind.GATEWAY, "gw-1"))
        .isInstanceOf(BindOutcome.Bound.class);

    assertThat(
            InventoryTestStore.rows(
                db, "SELECT bound_certificate_sha256 FROM devices WHERE device_id = 'dev-1'"))
        .as("the fleet registry's own column, not a copy")
        .containsExactly(List.of(sha));
    assertThat(inventory.detail(sha).orElseThrow().bindings())
        .extracting(Binding::kind, Binding::target)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(BindingKind.DEVICE, "dev-1"),
            org.assertj.core.groups.Tuple.tuple(BindingKind.GATEWAY, "gw-1"),
            org.assertj.core.groups.Tuple.tuple(BindingKind.TRUST_BUNDLE, "client-ca"));

    assertThat(inventory.unbind(sha, BindingKind.DEVICE, "dev-1")).isTrue();
    assertThat(inventory.unbind(sha, BindingKind.DEVICE, "dev-1")).isFalse();
    assertThat(inventory.bind(sha, BindingKind.DEVICE, "dev-2"))
        .isInstanceOf(BindOutcome.Bound.class);
  }

  @Test
  void theRenewalWorkflowMovesByItsRulesAndKeepsItsHistory() {
    IssuedCertificate cert = ca.issueDevice("dev-1", Validity.days(365));
    inventory.record(cert.chain(), mqtt("dev-1"));
    String sha = cert.sha256Fingerprint();

    assertThat(
            inventory.renewal(sha, RenewalState.PLANNED, Optional.empty(), Optional.empty(), "ops"))
        .isInstanceOf(RenewalOutcome.Changed.class);
    assertThat(
            inventory.renewal(sha, RenewalState.BLOCKED, Optional.empty(), Optional.empty(), "ops"))
        .isInstanceOf(RenewalOutcome.Refused.class);
    clock.advance(Duration.ofHours(1));
    assertThat(
            inventory.renewal(
                sha, RenewalState.BLOCKED, Optional.of("device offline"), Optional.empty(), "ops"))
        .isInstanceOf(RenewalOutcome.Changed.class);
    inventory.renewal(sha, RenewalState.IN_PROGRESS, Optional.empty(), Optional.empty(), "auto");
    inventory.renewal(
        sha, RenewalState.COMPLETED, Optional.empty(), Optional.of("cd".repeat(32)), "auto");
    RenewalOutcome afterCompleted =
        inventory.renewal(sha, RenewalState.PLANNED, Optional.empty(), Optional.empty(), "ops");
    assertThat(afterCompleted).isInstanceOf(RenewalOutcome.Refused.class);
    assertThat(
            inventory.renewal(
                "ef".repeat(32), RenewalState.PLANNED, Optional.empty(), Optional.empty(), "ops"))
        .isEqualTo(new RenewalOutcome.UnknownCertificate("ef".repeat(32)));

    CertificateDetail detail = inventory.detail(sha).orElseThrow();
    assertThat(detail.renewal().state()).isEqualTo(RenewalState.COMPLETED);
    assertThat(detail.renewal().replacementSha256()).contains("cd".repeat(32));
    assertThat(detail.renewalHistory())
        .extracting(RenewalChange::from, RenewalChange::to, RenewalChange::actor)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                RenewalState.NOT_STARTED, RenewalState.PLANNED, "ops"),
            org.assertj.core.groups.Tuple.tuple(RenewalState.PLANNED, RenewalState.BLOCKED, "ops"),
            org.assertj.core.groups.Tuple.tuple(
                RenewalState.BLOCKED, RenewalState.IN_PROGRESS, "auto"),
            org.assertj.core.groups.Tuple.tuple(
                RenewalState.IN_PROGRESS, RenewalState.COMPLETED, "auto"));
    assertThat(detail.renewalHistory().get(1).reason()).contains("device offline");
  }

  @Test
  void anUnknownOrMalformedFingerprintHasNoDetail() {
    assertThat(inventory.detail("00".repeat(32))).isEmpty();
    assertThat(inventory.detail("not-a-fingerprint")).isEmpty();
  }

  @Test
  void trustIsReevaluatedWhenAnIntermediateArrivesLater() {
    IssuedCertificate leaf = ca.issueDevice("dev-1", Validity.days(365));
    inventory.record(List.of(leaf.certificate()), Sighting.of(SourceKind.FILE, "/leaf.pem", T0));
    assertThat(status(leaf)).isEqualTo(CertificateStatus.UNTRUSTED);

    inventory.record(List.of(ca.issuingCertificate()), Sighting.of(SourceKind.FILE, "/ca.pem", T0));
    int changed = inventory.reevaluateTrust();

    assertThat(changed).isEqualTo(1);
    assertThat(status(leaf)).isEqualTo(CertificateStatus.ACTIVE);
    assertThat(inventory.detail(leaf.sha256Fingerprint()).orElseThrow().chain()).hasSize(3);
  }

  private CertificateStatus status(IssuedCertificate c) {
    return inventory.detail(c.sha256Fingerprint()).orElseThrow().summary().status();
  }

  private List<String> sha256s(CertificateQuery q) {
    return inventory.list(q).items().stream().map(CertificateSummary::sha256).toList();
  }

  static String sha(X509Certificate c) {
    return io.auditgate.certs.x509.CertificateFacts.of(c).sha256();
  }

  static byte[] encoded(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}

package io.auditgate.controlplane.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.Validity;
import io.auditgate.controlplane.CertificateEvent;
import io.auditgate.controlplane.CertificateEventLog;
import io.auditgate.controlplane.inventory.CertificateInventory;
import io.auditgate.controlplane.inventory.CertificateStatus;
import io.auditgate.controlplane.inventory.Inventories;
import io.auditgate.controlplane.inventory.InventoryPolicy;
import io.auditgate.controlplane.inventory.Revocation;
import io.auditgate.controlplane.inventory.Sighting;
import io.auditgate.controlplane.inventory.SourceKind;
import io.auditgate.store.StoreOptions;
import io.auditgate.testkit.TestDatabases;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wiring adapters over a real PostgreSQL: the inventory's revocation view over {@code
 * certificate_revocations} (revocations by fingerprint and by serial alone), revocation by
 * fingerprint through the inventory, and the {@code revoked} timeline event.
 */
class RevocationViewsTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path dir;
  private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
  private StoreOptions db;
  private DevCertificateAuthority ca;
  private CertificateInventory inventory;
  private Revocations revocations;
  private InventoryRevocationView view;

  @BeforeEach
  void setUp() {
    db = TestDatabases.migrated();
    ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"),
            CaOptions.defaults(),
            Optional.empty(),
            Clock.fixed(T0.minusSeconds(3600), ZoneOffset.UTC));
    view = new InventoryRevocationView(db);
    inventory =
        Inventories.jdbc(
            db, clock, view, List.of(ca.rootCertificate()), InventoryPolicy.defaults());
    revocations =
        new EventLoggingRevocations(
            Revocations.over(
                db,
                ca.revocationAuthority(),
                sha ->
                    inventory
                        .detail(sha)
                        .map(
                            d -> {
                              try {
                                return (X509Certificate)
                                    CertificateFactory.getInstance("X.509")
                                        .generateCertificate(new ByteArrayInputStream(d.der()));
                              } catch (Exception e) {
                                throw new IllegalStateException(e);
                              }
                            }),
                RevocationOptions.defaults(),
                clock),
            db);
  }

  @AfterEach
  void close() {
    inventory.close();
  }

  private IssuedCertificate known(String id) {
    IssuedCertificate c = ca.issueDevice(id, Validity.days(30));
    inventory.record(c.chain(), Sighting.of(SourceKind.ISSUED, "ca", T0));
    return c;
  }

  @Test
  void aRevocationByFingerprintShowsInTheInventoryAndOnTheTimeline() {
    IssuedCertificate c = known("d1");
    IssuedCertificate other = known("d2");
    RevokeOutcome outcome =
        revocations.revoke(
            new RevokeRequest(
                new RevocationTarget.Sha256(c.sha256Fingerprint()),
                "keyCompromise",
                "ops-admin",
                Optional.of("lost")));

    assertThat(outcome).isInstanceOf(RevokeOutcome.Revoked.class);
    assertThat(view.revoked())
        .containsExactly(new Revocation(c.sha256Fingerprint(), T0, "keyCompromise"));
    assertThat(view.revocation(c.sha256Fingerprint())).isPresent();
    assertThat(view.revocation(other.sha256Fingerprint())).isEmpty();
    assertThat(inventory.detail(c.sha256Fingerprint()).orElseThrow().summary().status())
        .isEqualTo(CertificateStatus.REVOKED);
    assertThat(inventory.posture().byStatus()).containsEntry(CertificateStatus.REVOKED, 1L);

    List<CertificateEvent> events = new CertificateEventLog(db).timeline(c.sha256Fingerprint(), 10);
    assertThat(events).extracting(CertificateEvent::kind).containsExactly("revoked");
    assertThat(events.get(0).details())
        .containsEntry("reason", "keyCompromise")
        .containsEntry("by", "ops-admin")
        .containsEntry("comment", "lost");

    revocations.revoke(
        new RevokeRequest(
            new RevocationTarget.Sha256(c.sha256Fingerprint()),
            "superseded",
            "x",
            Optional.empty()));
    assertThat(new CertificateEventLog(db).timeline(c.sha256Fingerprint(), 10))
        .as("already revoked: nothing new happened, nothing new logged")
        .hasSize(1);
  }

  @Test
  void aRevocationBySerialAloneIsMatchedToTheInventorysCertificate() {
    IssuedCertificate c = known("d1");
    revocations.revoke(
        new RevokeRequest(
            new RevocationTarget.Serial(c.certificate().getSerialNumber()),
            "cessationOfOperation",
            "cli",
            Optional.empty()));

    assertThat(view.revocation(c.sha256Fingerprint()))
        .contains(new Revocation(c.sha256Fingerprint(), T0, "cessationOfOperation"));
    assertThat(inventory.detail(c.sha256Fingerprint()).orElseThrow().summary().status())
        .isEqualTo(CertificateStatus.REVOKED);
  }

  @Test
  void aSerialTheInventoryNeverSawIsNoRevocationOfAnyKnownCertificate() {
    known("d1");
    IssuedCertificate unseen = ca.issueDevice("d9", Validity.days(30));
    revocations.revoke(
        new RevokeRequest(
            new RevocationTarget.Serial(unseen.certificate().getSerialNumber()),
            "superseded",
            "cli",
            Optional.empty()));

    assertThat(view.revoked()).isEmpty();
  }
}

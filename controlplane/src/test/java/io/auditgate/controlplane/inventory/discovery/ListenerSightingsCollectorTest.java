package io.auditgate.controlplane.inventory.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.Validity;
import io.auditgate.controlplane.inventory.CertificateInventory;
import io.auditgate.controlplane.inventory.Inventories;
import io.auditgate.controlplane.inventory.InventoryPolicy;
import io.auditgate.controlplane.inventory.InventoryTestStore;
import io.auditgate.controlplane.inventory.RevocationView;
import io.auditgate.controlplane.inventory.SightingView;
import io.auditgate.controlplane.inventory.SourceKind;
import io.auditgate.store.StoreOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connect rows as the store records them (V51's certificate_der), turned into sightings. */
class ListenerSightingsCollectorTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

  @TempDir Path dir;
  private final StoreOptions db = InventoryTestStore.migratedDatabase();
  private DevCertificateAuthority ca;
  private CertificateInventory inventory;
  private long offset;

  @BeforeEach
  void setUp() {
    ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), CLOCK);
    inventory =
        Inventories.jdbc(
            db,
            CLOCK,
            RevocationView.NONE,
            List.of(ca.rootCertificate()),
            InventoryPolicy.defaults());
  }

  @AfterEach
  void close() {
    inventory.close();
  }

  @Test
  void newConnectRowsBecomeSightingsOnceEach() throws Exception {
    IssuedCertificate one = ca.issueDevice("dev-1", Validity.days(30));
    IssuedCertificate two = ca.issueDevice("dev-2", Validity.days(30));
    connect("dev-1", T0, one.certificate().getEncoded(), one.sha256Fingerprint());
    connect("dev-2", T0.plusSeconds(1), two.certificate().getEncoded(), two.sha256Fingerprint());
    row("dev-1", T0.plusSeconds(2), "disconnected", null, null);
    row("dev-3", T0.plusSeconds(3), "connected", null, null);
    // a forged row: the DER is dev-2's, the fingerprint claims another certificate
    connect("dev-9", T0.plusSeconds(4), two.certificate().getEncoded(), "ab".repeat(32));
    ListenerSightingsCollector collector = new ListenerSightingsCollector(inventory, db, 2);

    assertThat(collector.collectOnce()).isEqualTo(2);
    assertThat(collector.collectOnce()).isZero();

    List<SightingView> sightings =
        inventory.detail(one.sha256Fingerprint()).orElseThrow().sightings();
    assertThat(sightings)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.source()).isEqualTo(SourceKind.LISTENER_MQTT);
              assertThat(s.location()).isEqualTo("mqtt5@gw-1");
              assertThat(s.deviceId()).contains("dev-1");
              assertThat(s.lastSeenAt()).isEqualTo(T0);
              assertThat(s.details()).containsEntry("client_id", "board");
            });

    connect("dev-1", T0.plusSeconds(60), one.certificate().getEncoded(), one.sha256Fingerprint());
    assertThat(collector.collectOnce()).isEqualTo(1);
    assertThat(inventory.detail(one.sha256Fingerprint()).orElseThrow().sightings().get(0).count())
        .isEqualTo(2);
    assertThat(inventory.detail(two.sha256Fingerprint()).orElseThrow().sightings())
        .extracting(s -> s.deviceId().orElse("-"))
        .containsExactly("dev-2");
  }

  @Test
  void aCertificatePresentedAtTheHttpsListenerIsAnHttpsListenerSighting() throws Exception {
    IssuedCertificate one = ca.issueDevice("dev-1", Validity.days(30));
    offset++;
    InventoryTestStore.execute(
        db,
        "INSERT INTO device_connectivity (gateway_id, wal_offset, device_id, at, event, details,"
            + " certificate_der) VALUES ('gw-1', "
            + offset
            + ", 'dev-1', '"
            + T0
            + "', 'certificate_presented', '{\"protocol\":\"https\",\"tls\":\"mtls\","
            + "\"certificate_sha256\":\""
            + one.sha256Fingerprint()
            + "\"}'::jsonb, '\\x"
            + HexFormat.of().formatHex(one.certificate().getEncoded())
            + "'::bytea)");
    ListenerSightingsCollector collector = new ListenerSightingsCollector(inventory, db, 10);

    assertThat(collector.collectOnce()).isEqualTo(1);

    assertThat(inventory.detail(one.sha256Fingerprint()).orElseThrow().sightings())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.source()).isEqualTo(SourceKind.LISTENER_HTTPS);
              assertThat(s.location()).isEqualTo("https@gw-1");
              assertThat(s.deviceId()).contains("dev-1");
              assertThat(s.lastSeenAt()).isEqualTo(T0);
            });
  }

  @Test
  void aRowCommittedLateIsNotLeftBehindTheWatermark() throws Exception {
    IssuedCertificate early = ca.issueDevice("dev-1", Validity.days(30));
    IssuedCertificate later = ca.issueDevice("dev-2", Validity.days(30));
    ListenerSightingsCollector collector = new ListenerSightingsCollector(inventory, db, 100);
    try (java.sql.Connection open =
        java.sql.DriverManager.getConnection(db.jdbcUrl(), db.driverProperties())) {
      // A store batch still in flight: it took its id first and commits last.
      open.setAutoCommit(false);
      try (java.sql.Statement s = open.createStatement()) {
        s.execute(
            insert(
                "dev-1",
                T0,
                "connected",
                early.certificate().getEncoded(),
                early.sha256Fingerprint()));
      }
      connect(
          "dev-2", T0.plusSeconds(1), later.certificate().getEncoded(), later.sha256Fingerprint());

      assertThat(collector.collectOnce())
          .as("the later row waits while an older transaction is open")
          .isZero();
      open.commit();
    }

    assertThat(collector.collectOnce()).isEqualTo(2);
    assertThat(inventory.detail(early.sha256Fingerprint())).isPresent();
    assertThat(inventory.detail(later.sha256Fingerprint())).isPresent();
    assertThat(collector.collectOnce()).isZero();
  }

  private void connect(String device, Instant at, byte[] der, String claimed) {
    row(device, at, "connected", der, claimed);
  }

  private void row(String device, Instant at, String event, byte[] der, String claimed) {
    InventoryTestStore.execute(db, insert(device, at, event, der, claimed));
  }

  private String insert(String device, Instant at, String event, byte[] der, String claimed) {
    offset++;
    String details =
        "{\"client_id\":\"board\",\"protocol\":\"mqtt5\""
            + (claimed == null ? "" : ",\"certificate_sha256\":\"" + claimed + "\"")
            + "}";
    return "INSERT INTO device_connectivity (gateway_id, wal_offset, device_id, at, event, details,"
        + " certificate_der) VALUES ('gw-1', "
        + offset
        + ", '"
        + device
        + "', '"
        + at
        + "', '"
        + event
        + "', '"
        + details
        + "'::jsonb, "
        + (der == null ? "NULL" : "'\\x" + HexFormat.of().formatHex(der) + "'::bytea")
        + ")";
  }
}

package io.auditgate.store;

import static io.auditgate.store.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.ingest.IngestRequest.Transport;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.envelope.Envelope;
import io.auditgate.envelope.EnvelopeSchema;
import io.auditgate.store.StoreSchema.Flavor;
import io.auditgate.store.WriteOutcome.Written;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The listener's connected and disconnected events folded into devices and device_connectivity. */
class DeviceConnectivityTest {
  private final StoreOptions db = TestStore.migratedDatabase();
  private final StoreWriter writer = new StoreWriter(db, Flavor.POSTGRES);

  @AfterEach
  void close() {
    writer.close();
  }

  @Test
  void connectsAndDisconnectsAreRecordedOnceAndMoveTheDeviceTimes() {
    List<StoreRecord> batch =
        List.of(
            Records.withSeq("gw-1", 1, "dev-1", 1, T0),
            connected("gw-1", 2, "dev-1", T0.plusSeconds(1)),
            Records.withSeq("gw-1", 3, "dev-1", 2, T0.plusSeconds(2)),
            disconnected("gw-1", 4, "dev-1", T0.plusSeconds(3), "client_disconnect", 0),
            Records.withSeq("gw-1", 5, "dev-2", 1, T0.plusSeconds(3)),
            event("gw-1", 6, "dev-2", T0.plusSeconds(4), "{\"event\":\"offline\"}"));

    Written first = (Written) writer.write(batch);
    Written again = (Written) writer.write(batch);

    assertThat(first).isEqualTo(new Written(6, 0, List.of()));
    assertThat(again).isEqualTo(new Written(0, 6, List.of()));
    assertThat(
            Sql.rows(
                db,
                "SELECT device_id, gateway_id, wal_offset, event, coalesce(reason, '-'),"
                    + " details ->> 'client_id', extract(epoch FROM at - timestamptz '"
                    + T0
                    + "')::int FROM device_connectivity ORDER BY wal_offset"))
        .containsExactly(
            List.of("dev-1", "gw-1", "2", "connected", "-", "board", "1"),
            List.of("dev-1", "gw-1", "4", "disconnected", "client_disconnect", "board", "3"));
    assertThat(device("dev-1")).containsExactly("1", "3", "3", "2");
    assertThat(device("dev-2")).as("a will is no connectivity").containsExactly("-", "-");
    assertThat(new StoreQueries(db).connectivity("dev-1", 10))
        .extracting(StoreQueries.ConnectivityEvent::event, e -> e.reason().orElse("-"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("connected", "-"),
            org.assertj.core.groups.Tuple.tuple("disconnected", "client_disconnect"));
    assertThat(new StoreQueries(db).telemetryMessageCount()).isEqualTo(3);

    // The device comes back; a late copy of the first batch changes nothing.
    writer.write(List.of(connected("gw-1", 7, "dev-1", T0.plusSeconds(10))));
    writer.write(batch);

    assertThat(Sql.count(db, "SELECT count(*) FROM device_connectivity")).isEqualTo(3);
    assertThat(device("dev-1")).containsExactly("10", "3", "10", "2");
  }

  @Test
  void theLeafCertificateOfAConnectGoesToItsOwnColumnAndGarbageToNull() {
    byte[] der = {0x30, 0x03, 0x02, 0x01, 0x07};
    String base64 = java.util.Base64.getEncoder().encodeToString(der);
    String withDer =
        "{\"event\":\"connected\",\"client_id\":\"board\",\"certificate_sha256\":\""
            + "ab".repeat(32)
            + "\",\"certificate_der\":\""
            + base64
            + "\"}";
    String withGarbage =
        "{\"event\":\"connected\",\"client_id\":\"board\",\"certificate_der\":\"%%%\"}";
    // one batch on the fast path, the same events again plus one new on the merge path
    writer.write(List.of(event("gw-1", 1, "dev-1", T0, withDer)));
    writer.write(
        List.of(
            event("gw-1", 1, "dev-1", T0, withDer),
            event("gw-1", 2, "dev-1", T0.plusSeconds(1), withGarbage)));

    assertThat(
            Sql.rows(
                db,
                "SELECT wal_offset, coalesce(encode(certificate_der, 'base64'), '-'),"
                    + " details ? 'certificate_der', coalesce(details ->> 'certificate_sha256', '-')"
                    + " FROM device_connectivity ORDER BY id"))
        .containsExactly(List.of("1", base64, "f", "ab".repeat(32)), List.of("2", "-", "f", "-"));
  }

  @Test
  void aCertificatePresentedAtTheHttpsListenerIsRecordedWithItsDerAndMovesOnlyTheActivity() {
    byte[] der = {0x30, 0x03, 0x02, 0x01, 0x09};
    String base64 = java.util.Base64.getEncoder().encodeToString(der);
    String presented =
        "{\"event\":\"certificate_presented\",\"protocol\":\"https\",\"tls\":\"mtls\","
            + "\"auth\":\"client_certificate\",\"certificate_sha256\":\""
            + "cd".repeat(32)
            + "\",\"certificate_der\":\""
            + base64
            + "\"}";
    writer.write(
        List.of(
            connected("gw-1", 1, "dev-1", T0),
            disconnected("gw-1", 2, "dev-1", T0.plusSeconds(1), "client_disconnect", 0)));
    // the fast path (a batch of its own), then the merge path (a copy beside a new one)
    writer.write(List.of(event("gw-1", 3, "dev-1", T0.plusSeconds(5), presented)));
    writer.write(
        List.of(
            event("gw-1", 3, "dev-1", T0.plusSeconds(5), presented),
            event("gw-1", 4, "dev-2", T0.plusSeconds(6), presented)));

    assertThat(
            Sql.rows(
                db,
                "SELECT device_id, wal_offset, event, coalesce(reason, '-'),"
                    + " coalesce(encode(certificate_der, 'base64'), '-'),"
                    + " details ? 'certificate_der', details ->> 'protocol',"
                    + " details ->> 'certificate_sha256' FROM device_connectivity"
                    + " WHERE event = 'certificate_presented' ORDER BY id"))
        .containsExactly(
            List.of(
                "dev-1", "3", "certificate_presented", "-", base64, "f", "https", "cd".repeat(32)),
            List.of(
                "dev-2", "4", "certificate_presented", "-", base64, "f", "https", "cd".repeat(32)));
    // last connect and disconnect stay where MQTT put them; only the activity moves
    assertThat(device("dev-1")).containsExactly("0", "1", "5", null);
    assertThat(
            Sql.rows(
                db,
                "SELECT coalesce(last_connect_at::text, '-'), coalesce(last_disconnect_at::text,"
                    + " '-'), extract(epoch FROM last_activity_at - timestamptz '"
                    + T0
                    + "')::int FROM devices WHERE device_id = 'dev-2'"))
        .containsExactly(List.of("-", "-", "6"));
  }

  @Test
  void aDisconnectThatLeftOtherConnectionsIsNoDisconnectOfTheDevice() {
    writer.write(
        List.of(
            connected("gw-1", 1, "dev-1", T0),
            connected("gw-1", 2, "dev-1", T0.plusSeconds(1)),
            disconnected("gw-1", 3, "dev-1", T0.plusSeconds(2), "session_taken_over", 1)));

    assertThat(Sql.count(db, "SELECT count(*) FROM device_connectivity")).isEqualTo(3);
    assertThat(device("dev-1")).startsWith("1", "-");

    // Connectivity arriving in a later batch than newer telemetry: the telemetry still counts.
    writer.write(List.of(Records.withSeq("gw-1", 4, "dev-1", 1, T0.plusSeconds(20))));
    writer.write(
        List.of(disconnected("gw-1", 5, "dev-1", T0.plusSeconds(5), "connection_lost", 0)));

    assertThat(device("dev-1")).containsExactly("1", "5", "20", "20");

    writer.write(
        List.of(disconnected("gw-2", 1, "dev-1", T0.plusSeconds(30), "server_shutting_down", 0)));

    assertThat(device("dev-1")).containsExactly("1", "30", "30", "20");
  }

  /**
   * Seconds after T0 of: last connect, last disconnect, last activity, telemetry (the status is the
   * fleet monitor's, tested in module fleet).
   */
  private List<String> device(String id) {
    String t0 = "timestamptz '" + T0 + "'";
    List<List<String>> rows =
        Sql.rows(
            db,
            "SELECT coalesce(extract(epoch FROM last_connect_at - "
                + t0
                + ")::int::text, '-'), coalesce(extract(epoch FROM last_disconnect_at - "
                + t0
                + ")::int::text, '-'), extract(epoch FROM last_activity_at - "
                + t0
                + ")::int::text, extract(epoch FROM last_telemetry_at - "
                + t0
                + ")::int::text FROM devices WHERE device_id = '"
                + id
                + "'");
    assertThat(rows).hasSize(1);
    List<String> row = rows.get(0);
    return row.get(0).equals("-") && row.get(1).equals("-") ? row.subList(0, 2) : row;
  }

  static StoreRecord connected(String gateway, long offset, String device, Instant at) {
    return event(
        gateway,
        offset,
        device,
        at,
        "{\"event\":\"connected\",\"client_id\":\"board\",\"protocol\":\"mqtt5\","
            + "\"tls\":\"mtls\",\"auth\":\"client_certificate\"}");
  }

  static StoreRecord disconnected(
      String gateway, long offset, String device, Instant at, String reason, int others) {
    return event(
        gateway,
        offset,
        device,
        at,
        "{\"event\":\"disconnected\",\"client_id\":\"board\",\"reason\":\""
            + reason
            + "\",\"other_connections\":"
            + others
            + "}");
  }

  static StoreRecord event(String gateway, long offset, String device, Instant at, String json) {
    Telemetry t =
        new Telemetry(
            device,
            gateway,
            OptionalLong.empty(),
            Optional.empty(),
            at,
            Map.of(),
            Map.of(),
            Optional.of(json),
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "devices/" + device + "/events",
            Telemetry.Format.EVENT_JSON);
    byte[] body =
        Records.ENVELOPES.encode(new Envelope(EnvelopeSchema.DEVICE_EVENT_V1, Transport.MQTT, t));
    return new StoreRecord(gateway, offset, RecordTypes.DEVICE_EVENT, body);
  }
}

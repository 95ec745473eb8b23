package io.auditgate.fleet;

import static io.auditgate.fleet.StoreRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.envelope.GatewayEvent.Kind;
import io.auditgate.fleet.FleetStateMonitor.Evaluation;
import io.auditgate.fleet.internal.StateEvaluator;
import io.auditgate.store.StoreOptions;
import io.auditgate.store.StoreRecord;
import io.auditgate.store.StoreSchema.Flavor;
import io.auditgate.store.StoreWriter;
import io.auditgate.testkit.MutableClock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stale detection and the other state rules over rows the real StoreWriter wrote. */
class FleetStateMonitorTest {
  private final StoreOptions db = FleetTestStore.migratedDatabase();
  private final StoreWriter writer = new StoreWriter(db, Flavor.POSTGRES);
  private final MutableClock clock = new MutableClock(T0);
  private final FleetStateMonitor monitor =
      new FleetStateMonitor(
          db,
          clock,
          new FleetStateMonitor.Settings(
              Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMinutes(5)));
  private long offset;

  @AfterEach
  void close() {
    monitor.close();
    writer.close();
  }

  private void write(StoreRecord... records) {
    writer.write(List.of(records));
  }

  private long next() {
    return ++offset;
  }

  @Test
  void aDeviceWhoseTelemetryStopsGoesStaleWithACauseAndTheGatewayRestartInItsDetails() {
    write(
        StoreRecords.gatewayEvent("gw-1", next(), Kind.STARTED, T0, Map.of("records_held", "0")),
        StoreRecords.gatewayEvent("gw-1", next(), Kind.HEARTBEAT, T0, heartbeat(0)),
        StoreRecords.reading("gw-1", next(), "dev-1", 1, T0.plusSeconds(1)),
        StoreRecords.reading("gw-1", next(), "dev-1", 2, T0.plusSeconds(11)));
    Fleet.registry(db)
        .registerDevice(
            new DeviceRegistration(
                "dev-1",
                java.util.Optional.of("lab board"),
                "b-l475e-iot01a",
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                Map.of()));

    clock.set(T0.plusSeconds(15));
    Evaluation first = monitor.evaluateOnce();

    assertThat(first).isEqualTo(new Evaluation(true, 1, 1));
    assertThat(state("dev-1")).isEqualTo("active");
    assertThat(gatewayState("gw-1")).isEqualTo("restarted");

    // The gateway restarts (with a recovery), the device goes quiet; heartbeats keep coming.
    write(
        StoreRecords.gatewayEvent(
            "gw-1",
            next(),
            Kind.RECOVERED,
            T0.plusSeconds(20),
            Map.of("bytes_truncated", "17", "clean_shutdown", "false")),
        StoreRecords.gatewayEvent("gw-1", next(), Kind.STARTED, T0.plusSeconds(20), Map.of()),
        StoreRecords.gatewayEvent(
            "gw-1", next(), Kind.HEARTBEAT, T0.plusSeconds(40), heartbeat(5)));
    clock.set(T0.plusSeconds(40));
    assertThat(monitor.evaluateOnce().deviceChanges())
        .as("30 s of silence is not yet stale")
        .isZero();
    write(
        StoreRecords.gatewayEvent(
            "gw-1", next(), Kind.HEARTBEAT, T0.plusSeconds(100), heartbeat(0)));

    clock.set(T0.plusSeconds(106));
    Evaluation stale = monitor.evaluateOnce();

    assertThat(stale.deviceChanges()).isEqualTo(1);
    assertThat(state("dev-1")).isEqualTo("stale");
    List<List<String>> change = lastChange("dev-1");
    assertThat(change.get(0))
        .containsExactly(
            "active",
            "stale",
            "41",
            "no telemetry for 95 s; profile b-l475e-iot01a expects one every 10 s, stale after 3");
    assertThat(
            FleetTestStore.rows(
                db,
                "SELECT details -> 'coincides_with', details -> 'gateway' ->> 'id',"
                    + " jsonb_path_query_array(details, '$.gateway.events[*].kind')"
                    + " FROM fleet_state_changes WHERE entity_id = 'dev-1' ORDER BY id DESC LIMIT 1"))
        .containsExactly(List.of("[\"gateway_restart\"]", "gw-1", "[\"recovered\", \"started\"]"));
    assertThat(FleetTestStore.one(db, "SELECT state_cause FROM devices WHERE device_id = 'dev-1'"))
        .startsWith("no telemetry for 95 s");
    // The review question, answered in SQL.
    assertThat(
            FleetTestStore.one(
                db,
                "SELECT count(*) FROM fleet_state_changes WHERE to_state = 'stale'"
                    + " AND details -> 'coincides_with' ? 'gateway_restart'"))
        .isEqualTo("1");

    // Telemetry resumes: active again, from stale.
    write(StoreRecords.reading("gw-1", next(), "dev-1", 3, T0.plusSeconds(110)));
    clock.set(T0.plusSeconds(112));
    monitor.evaluateOnce();
    assertThat(state("dev-1")).isEqualTo("active");
    assertThat(lastChange("dev-1").get(0)).startsWith("stale", "active", "110");

    // A disconnect: offline, with its reason.
    write(
        StoreRecords.disconnected("gw-1", next(), "dev-1", T0.plusSeconds(115), "connection_lost"));
    clock.set(T0.plusSeconds(116));
    monitor.evaluateOnce();
    assertThat(state("dev-1")).isEqualTo("offline");
    assertThat(lastChange("dev-1").get(0).get(3))
        .isEqualTo(
            "disconnected at 2026-11-28T10:01:55Z (connection_lost); no connect or telemetry since");

    // Nothing new: nothing recorded.
    clock.set(T0.plusSeconds(117));
    assertThat(monitor.evaluateOnce()).isEqualTo(new Evaluation(true, 0, 0));
  }

  @Test
  void gatewaysGoDownWithoutHeartbeatsAndShowUpstreamInterruptions() {
    write(
        StoreRecords.gatewayEvent("gw-1", next(), Kind.STARTED, T0, Map.of()),
        StoreRecords.gatewayEvent(
            "gw-1", next(), Kind.HEARTBEAT, T0.plusSeconds(10), heartbeat(3)));
    clock.set(T0.plusSeconds(400));
    monitor.evaluateOnce();
    assertThat(gatewayState("gw-1")).isEqualTo("down");
    assertThat(lastChange("gw-1").get(0).get(3))
        .isEqualTo("no heartbeat for 390 s; heartbeats expected every 10 s, down after 3 missed");

    write(
        StoreRecords.gatewayEvent(
            "gw-1",
            next(),
            Kind.UPSTREAM_INTERRUPTED,
            T0.plusSeconds(401),
            Map.of("sink", "kafka", "reason", "timeout")),
        StoreRecords.gatewayEvent(
            "gw-1", next(), Kind.HEARTBEAT, T0.plusSeconds(405), heartbeat(120)));
    clock.set(T0.plusSeconds(406));
    monitor.evaluateOnce();
    assertThat(gatewayState("gw-1")).isEqualTo("upstream_interrupted");
    assertThat(
            FleetTestStore.rows(
                db, "SELECT backlog_records, oldest_unsent_age_ms, state_cause FROM gateways"))
        .containsExactly(
            List.of(
                "120", "4000", "upstream kafka interrupted since 2026-11-28T10:06:41Z: timeout"));

    write(
        StoreRecords.gatewayEvent(
            "gw-1", next(), Kind.UPSTREAM_RESTORED, T0.plusSeconds(410), Map.of("sink", "kafka")));
    clock.set(T0.plusSeconds(411));
    monitor.evaluateOnce();
    assertThat(gatewayState("gw-1")).isEqualTo("up");

    write(StoreRecords.gatewayEvent("gw-1", next(), Kind.STOPPED, T0.plusSeconds(412), Map.of()));
    clock.set(T0.plusSeconds(413));
    monitor.evaluateOnce();
    assertThat(gatewayState("gw-1")).isEqualTo("down");
    assertThat(
            FleetTestStore.rows(
                db,
                "SELECT coalesce(from_state, '-'), to_state FROM fleet_state_changes"
                    + " WHERE entity_kind = 'gateway' ORDER BY id"))
        .containsExactly(
            List.of("-", "down"),
            List.of("down", "upstream_interrupted"),
            List.of("upstream_interrupted", "up"),
            List.of("up", "down"));
  }

  @Test
  void aRegisteredDeviceNeverHeardFromIsNeverSeenAndAConnectAloneGivesAGrace() {
    Fleet.registry(db).registerDevice(DeviceRegistration.of("quiet-1"));
    write(StoreRecords.connected("gw-1", next(), "conn-1", T0, ""));
    clock.set(T0.plusSeconds(30));
    monitor.evaluateOnce();

    assertThat(state("quiet-1")).isEqualTo("never_seen");
    assertThat(state("conn-1")).isEqualTo("active");

    clock.set(T0.plusSeconds(200));
    monitor.evaluateOnce();
    assertThat(state("conn-1")).isEqualTo("stale");
    assertThat(lastChange("conn-1").get(0).get(3))
        .isEqualTo(
            "no telemetry since connecting 200 s ago; profile default expects one every 60 s,"
                + " stale after 3");
  }

  @Test
  void onlyOneMonitorEvaluatesAtATime() throws Exception {
    write(StoreRecords.reading("gw-1", next(), "dev-1", 1, T0));
    try (Connection other = DriverManager.getConnection(db.jdbcUrl(), db.driverProperties())) {
      other.setAutoCommit(false);
      try (Statement s = other.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(" + StateEvaluator.LOCK_KEY + ")");
      }
      assertThat(monitor.evaluateOnce()).isEqualTo(new Evaluation(false, 0, 0));
      assertThat(FleetTestStore.one(db, "SELECT count(*) FROM fleet_state_changes")).isEqualTo("0");
      other.rollback();
    }
    assertThat(monitor.evaluateOnce()).isEqualTo(new Evaluation(true, 1, 1));
  }

  private static Map<String, String> heartbeat(long backlog) {
    return Map.of(
        "wal_records", Long.toString(backlog),
        "kafka.backlog_records", Long.toString(backlog),
        "kafka.oldest_unsent_ms", Long.toString(backlog == 0 ? 0 : 4000),
        "kafka.state", "delivering");
  }

  private String state(String device) {
    return FleetTestStore.one(db, "SELECT status FROM devices WHERE device_id = '" + device + "'");
  }

  private String gatewayState(String gateway) {
    return FleetTestStore.one(
        db, "SELECT state FROM gateways WHERE gateway_id = '" + gateway + "'");
  }

  /** from_state, to_state, at, cause of the entity's latest change. */
  private List<List<String>> lastChange(String entity) {
    return FleetTestStore.rows(
        db,
        "SELECT coalesce(from_state, '-'), to_state,"
            + " extract(epoch FROM at - timestamptz '2026-11-28T10:00:00Z')::int::text, cause"
            + " FROM fleet_state_changes"
            + " WHERE entity_id = '"
            + entity
            + "' ORDER BY id DESC LIMIT 1");
  }
}

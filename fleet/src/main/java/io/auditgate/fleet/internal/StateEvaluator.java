package io.auditgate.fleet.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditgate.fleet.DeviceState;
import io.auditgate.fleet.GatewayState;
import io.auditgate.fleet.internal.StateRules.Decision;
import io.auditgate.fleet.internal.StateRules.DeviceFacts;
import io.auditgate.fleet.internal.StateRules.GatewayFacts;
import io.auditgate.store.StoreOptions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One evaluation of every gateway and device, inside the caller's transaction: reads the facts,
 * applies {@link StateRules}, and for each entity whose state differs from the last one recorded
 * writes the new state and a {@code fleet_state_changes} row with its cause and correlated details.
 * Gateways go first, so that a device's details can name its gateway's new state.
 */
public final class StateEvaluator {
  /** The advisory lock key: "auditgate fleet monitor", one evaluation at a time per database. */
  public static final long LOCK_KEY = 0x6175_6469_7466_6c74L;

  /** Gateway event kinds the details list (heartbeats are figures, not events). */
  private static final Set<String> RESTART_KINDS = Set.of("started", "recovered");

  private final Duration heartbeatInterval;
  private final Duration restartWindow;

  public StateEvaluator(Duration heartbeatInterval, Duration restartWindow) {
    this.heartbeatInterval = heartbeatInterval;
    this.restartWindow = restartWindow;
  }

  /** Changes recorded, or empty when another evaluator holds the lock. */
  public record Changes(int devices, int gateways) {}

  /** One evaluation in its own transaction. */
  public Optional<Changes> evaluate(StoreOptions store, Instant now) {
    return Jdbc.transaction(store, "fleet state", c -> evaluate(c, now));
  }

  Optional<Changes> evaluate(Connection c, Instant now) throws SQLException {
    boolean locked =
        Jdbc.one(
                c, "SELECT pg_try_advisory_xact_lock(?)", List.of(LOCK_KEY), rs -> rs.getBoolean(1))
            .orElse(false);
    if (!locked) {
      return Optional.empty();
    }
    Map<String, GatewayState> gatewayStates = new HashMap<>();
    List<GatewayWrite> gatewayWrites = new ArrayList<>();
    int gateways = evaluateGateways(c, now, gatewayStates, gatewayWrites);
    // Rows are locked devices first, then gateways, each in id order: the store writer's order, so
    // that a writer's batch and an evaluation wait for each other rather than deadlock.
    int devices = evaluateDevices(c, now, gatewayStates);
    for (GatewayWrite w : gatewayWrites) {
      w.apply(c, now);
    }
    Jdbc.update(
        c,
        "INSERT INTO fleet_monitor (id, last_evaluated_at) VALUES (1, ?)"
            + " ON CONFLICT (id) DO UPDATE SET last_evaluated_at = excluded.last_evaluated_at",
        List.of(now));
    return Optional.of(new Changes(devices, gateways));
  }

  private static String latestOf(String alias, String kind) {
    return " LEFT JOIN LATERAL (SELECT at, attributes::text AS attributes FROM gateway_events e"
        + " WHERE e.gateway_id = g.gateway_id AND e.kind = '"
        + kind
        + "' ORDER BY at DESC LIMIT 1) "
        + alias
        + " ON true";
  }

  /** A gateway row's new state and figures, written after the devices. */
  private record GatewayWrite(
      String id,
      boolean changed,
      Decision<GatewayState> decision,
      Optional<Instant> lastHeartbeatAt,
      Backlog backlog) {
    void apply(Connection c, Instant now) throws SQLException {
      Jdbc.update(
          c,
          "UPDATE gateways SET state = ?, state_since = CASE WHEN ? THEN ? ELSE state_since END,"
              + " state_cause = CASE WHEN ? THEN ? ELSE state_cause END, last_heartbeat_at = ?,"
              + " backlog_records = ?, backlog_bytes = ?, oldest_unsent_age_ms = ?"
              + " WHERE gateway_id = ?",
          List.of(
              decision.state().wireName(),
              changed,
              clamp(decision.since(), now),
              changed,
              decision.cause(),
              lastHeartbeatAt,
              backlog.records(),
              backlog.bytes(),
              backlog.oldestUnsentMs(),
              id));
    }
  }

  private int evaluateGateways(
      Connection c, Instant now, Map<String, GatewayState> states, List<GatewayWrite> writes)
      throws SQLException {
    String sql =
        "SELECT g.gateway_id, g.state, g.last_heartbeat_at, g.backlog_records, g.backlog_bytes,"
            + " g.oldest_unsent_age_ms, r.to_state AS recorded, hb.at AS hb_at,"
            + " hb.attributes AS hb_attr, st.at AS started_at, rc.at AS recovered_at,"
            + " rc.attributes AS rc_attr, sp.at AS stopped_at, ui.at AS interrupted_at,"
            + " ui.attributes AS ui_attr, ur.at AS restored_at"
            + " FROM gateways g"
            + latestOf("hb", "heartbeat")
            + latestOf("st", "started")
            + latestOf("rc", "recovered")
            + latestOf("sp", "stopped")
            + latestOf("ui", "upstream_interrupted")
            + latestOf("ur", "upstream_restored")
            + " LEFT JOIN LATERAL (SELECT to_state FROM fleet_state_changes x"
            + " WHERE x.entity_kind = 'gateway' AND x.entity_id = g.gateway_id"
            + " ORDER BY id DESC LIMIT 1) r ON true"
            + " ORDER BY g.gateway_id";
    record Row(
        String id,
        String current,
        Optional<Instant> heartbeatAt,
        Backlog backlog,
        Optional<String> recorded,
        GatewayFacts facts) {}
    List<Row> rows =
        Jdbc.list(
            c,
            sql,
            List.of(),
            rs ->
                new Row(
                    rs.getString("gateway_id"),
                    rs.getString("state"),
                    Jdbc.instant(rs, "last_heartbeat_at"),
                    new Backlog(
                        rs.getLong("backlog_records"),
                        rs.getLong("backlog_bytes"),
                        Jdbc.optionalLong(rs, "oldest_unsent_age_ms")),
                    Jdbc.string(rs, "recorded"),
                    new GatewayFacts(
                        Jdbc.instant(rs, "hb_at"),
                        Json.strings(rs.getString("hb_attr")),
                        Jdbc.instant(rs, "started_at"),
                        Jdbc.instant(rs, "recovered_at"),
                        Json.strings(rs.getString("rc_attr")),
                        Jdbc.instant(rs, "stopped_at"),
                        Jdbc.instant(rs, "interrupted_at"),
                        Json.strings(rs.getString("ui_attr")),
                        Jdbc.instant(rs, "restored_at"))));
    int changes = 0;
    for (Row row : rows) {
      Decision<GatewayState> d =
          StateRules.gateway(row.facts(), now, heartbeatInterval, restartWindow);
      states.put(row.id(), d.state());
      Backlog backlog = Backlog.of(row.facts().lastHeartbeat());
      String to = d.state().wireName();
      boolean changed = row.recorded().map(r -> !r.equals(to)).orElse(true);
      if (changed) {
        Instant from = d.since().minus(restartWindow);
        ObjectNode details = Json.object();
        details.put("evaluated_at", now.toString());
        details.put("heartbeat_interval_s", heartbeatInterval.toSeconds());
        row.facts()
            .lastHeartbeatAt()
            .ifPresent(t -> details.put("last_heartbeat_at", t.toString()));
        details.set("events", gatewayEvents(c, row.id(), from, now));
        details.put(
            "devices",
            Jdbc.count(
                c, "SELECT count(*) FROM devices WHERE last_gateway_id = ?", List.of(row.id())));
        record(c, "gateway", row.id(), row.recorded(), d, details, now);
        changes++;
      }
      // Only rows with something new are touched: fewer locks against the writer.
      if (changed
          || !to.equals(row.current())
          || !row.heartbeatAt().equals(row.facts().lastHeartbeatAt())
          || !row.backlog().equals(backlog)) {
        writes.add(new GatewayWrite(row.id(), changed, d, row.facts().lastHeartbeatAt(), backlog));
      }
    }
    return changes;
  }

  private int evaluateDevices(Connection c, Instant now, Map<String, GatewayState> gatewayStates)
      throws SQLException {
    String sql =
        "SELECT d.device_id, d.status, d.registered_via, d.last_gateway_id, d.last_telemetry_at,"
            + " d.last_connect_at, d.last_disconnect_at, p.name AS profile,"
            + " p.expected_interval_seconds, p.stale_after_intervals, r.to_state AS recorded,"
            + " x.reason AS disconnect_reason, x.gateway_id AS disconnect_gateway"
            + " FROM devices d JOIN device_profiles p ON p.name = d.profile"
            + " LEFT JOIN LATERAL (SELECT to_state FROM fleet_state_changes s"
            + " WHERE s.entity_kind = 'device' AND s.entity_id = d.device_id"
            + " ORDER BY id DESC LIMIT 1) r ON true"
            + " LEFT JOIN LATERAL (SELECT reason, gateway_id FROM device_connectivity v"
            + " WHERE v.device_id = d.device_id AND v.event = 'disconnected'"
            + " AND v.at = d.last_disconnect_at LIMIT 1) x ON d.last_disconnect_at IS NOT NULL"
            + " ORDER BY d.device_id";
    record Row(
        String id,
        String current,
        Optional<String> recorded,
        Optional<String> gateway,
        Optional<String> disconnectGateway,
        DeviceFacts facts) {}
    List<Row> rows =
        Jdbc.list(
            c,
            sql,
            List.of(),
            rs ->
                new Row(
                    rs.getString("device_id"),
                    rs.getString("status"),
                    Jdbc.string(rs, "recorded"),
                    Jdbc.string(rs, "last_gateway_id"),
                    Jdbc.string(rs, "disconnect_gateway"),
                    new DeviceFacts(
                        rs.getString("profile"),
                        Duration.ofSeconds(rs.getInt("expected_interval_seconds")),
                        rs.getInt("stale_after_intervals"),
                        Jdbc.instant(rs, "last_telemetry_at"),
                        Jdbc.instant(rs, "last_connect_at"),
                        Jdbc.instant(rs, "last_disconnect_at"),
                        Jdbc.string(rs, "disconnect_reason"),
                        rs.getString("registered_via"))));
    int changes = 0;
    for (Row row : rows) {
      Decision<DeviceState> d = StateRules.device(row.facts(), now);
      String to = d.state().wireName();
      boolean changed = row.recorded().map(r -> !r.equals(to)).orElse(true);
      if (changed) {
        record(
            c,
            "device",
            row.id(),
            row.recorded(),
            d,
            deviceDetails(
                c,
                row.id(),
                row.gateway(),
                row.disconnectGateway(),
                row.facts(),
                d,
                now,
                gatewayStates),
            now);
        changes++;
        Jdbc.update(
            c,
            "UPDATE devices SET status = ?, state_since = ?, state_cause = ? WHERE device_id = ?",
            List.of(to, clamp(d.since(), now), d.cause(), row.id()));
      } else if (!to.equals(row.current())) {
        // The writer marks a device active on new telemetry; the monitor's word is the last.
        Jdbc.update(c, "UPDATE devices SET status = ? WHERE device_id = ?", List.of(to, row.id()));
      }
    }
    return changes;
  }

  private ObjectNode deviceDetails(
      Connection c,
      String id,
      Optional<String> gateway,
      Optional<String> disconnectGateway,
      DeviceFacts f,
      Decision<DeviceState> d,
      Instant now,
      Map<String, GatewayState> gatewayStates)
      throws SQLException {
    // What happened around the change: from one stale period before it began until now.
    Duration lookBack = f.staleAfter();
    Instant from = clamp(d.since(), now).minus(lookBack);
    ObjectNode details = Json.object();
    details.put("evaluated_at", now.toString());
    details.put("window_from", from.toString());
    details.put("profile", f.profile());
    details.put("expected_interval_s", f.expectedInterval().toSeconds());
    details.put("stale_after_intervals", f.staleAfterIntervals());
    f.lastTelemetryAt().ifPresent(t -> details.put("last_telemetry_at", t.toString()));
    f.lastConnectAt().ifPresent(t -> details.put("last_connect_at", t.toString()));
    ArrayNode coincides = Json.MAPPER.createArrayNode();
    Optional<String> gw = gateway.or(() -> disconnectGateway);
    if (gw.isPresent()) {
      ObjectNode g = details.putObject("gateway");
      g.put("id", gw.get());
      Optional.ofNullable(gatewayStates.get(gw.get())).ifPresent(s -> g.put("state", s.wireName()));
      ArrayNode events = gatewayEvents(c, gw.get(), from, now);
      g.set("events", events);
      boolean restart = false;
      boolean interruption = gatewayStates.get(gw.get()) == GatewayState.UPSTREAM_INTERRUPTED;
      boolean down = gatewayStates.get(gw.get()) == GatewayState.DOWN;
      for (var e : events) {
        String kind = e.path("kind").asText();
        restart |= RESTART_KINDS.contains(kind);
        interruption |= kind.equals("upstream_interrupted");
        down |= kind.equals("stopped");
      }
      if (restart) {
        coincides.add("gateway_restart");
      }
      if (interruption) {
        coincides.add("upstream_interruption");
      }
      if (down) {
        coincides.add("gateway_down");
      }
    }
    if (f.lastDisconnectAt().isPresent()) {
      ObjectNode dis = details.putObject("last_disconnect");
      dis.put("at", f.lastDisconnectAt().get().toString());
      f.lastDisconnectReason().ifPresent(r -> dis.put("reason", r));
      disconnectGateway.ifPresent(g -> dis.put("gateway_id", g));
      if (!f.lastDisconnectAt().get().isBefore(from)) {
        coincides.add("disconnect");
      }
    }
    Optional<ObjectNode> certificateChange = certificateChange(c, id);
    if (certificateChange.isPresent()) {
      details.set("certificate_change", certificateChange.get());
      if (!Instant.parse(certificateChange.get().get("at").asText()).isBefore(from)) {
        coincides.add("certificate_change");
      }
    }
    details.set("coincides_with", coincides);
    return details;
  }

  /** The device's latest certificate against the one it presented before, if they differ. */
  private static Optional<ObjectNode> certificateChange(Connection c, String deviceId)
      throws SQLException {
    record Seen(Instant at, String sha256) {}
    List<Seen> seen =
        Jdbc.list(
            c,
            "SELECT at, details ->> 'certificate_sha256' AS sha FROM device_connectivity"
                + " WHERE device_id = ? AND event IN ('connected', 'certificate_presented')"
                + " AND details ?? 'certificate_sha256'"
                + " ORDER BY at DESC LIMIT 100",
            List.of(deviceId),
            rs -> new Seen(Jdbc.requiredInstant(rs, "at"), rs.getString("sha")));
    if (seen.isEmpty()) {
      return Optional.empty();
    }
    String latest = seen.get(0).sha256();
    Instant firstWithLatest = seen.get(0).at();
    for (Seen s : seen.subList(1, seen.size())) {
      if (!s.sha256().equals(latest)) {
        ObjectNode change = Json.object();
        change.put("from_sha256", s.sha256());
        change.put("to_sha256", latest);
        change.put("at", firstWithLatest.toString());
        return Optional.of(change);
      }
      firstWithLatest = s.at();
    }
    return Optional.empty();
  }

  /** The gateway's events other than heartbeats in {@code [from, to]}, oldest first, at most 20. */
  private static ArrayNode gatewayEvents(Connection c, String gatewayId, Instant from, Instant to)
      throws SQLException {
    ArrayNode out = Json.MAPPER.createArrayNode();
    List<ObjectNode> events =
        Jdbc.list(
            c,
            "SELECT kind, at, attributes::text AS attributes FROM gateway_events"
                + " WHERE gateway_id = ? AND kind <> 'heartbeat' AND at BETWEEN ? AND ?"
                + " ORDER BY at DESC, wal_offset DESC LIMIT 20",
            List.of(gatewayId, from, to),
            rs -> {
              ObjectNode e = Json.object();
              e.put("kind", rs.getString("kind"));
              e.put("at", Jdbc.requiredInstant(rs, "at").toString());
              e.set("attributes", Json.parse(rs.getString("attributes")));
              return e;
            });
    for (int i = events.size() - 1; i >= 0; i--) {
      out.add(events.get(i));
    }
    return out;
  }

  private static void record(
      Connection c,
      String kind,
      String id,
      Optional<String> from,
      Decision<?> d,
      ObjectNode details,
      Instant now)
      throws SQLException {
    String to =
        d.state() instanceof DeviceState s ? s.wireName() : ((GatewayState) d.state()).wireName();
    Jdbc.update(
        c,
        "INSERT INTO fleet_state_changes (entity_kind, entity_id, from_state, to_state, at, cause,"
            + " details) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)",
        List.of(kind, id, from, to, clamp(d.since(), now), d.cause(), Json.write(details)));
  }

  /** A state cannot begin after the evaluation that found it. */
  private static Instant clamp(Instant since, Instant now) {
    return since.isAfter(now) ? now : since;
  }

  /** Backlog figures from a heartbeat's attributes ({@code <sink>.backlog_records}, ...). */
  record Backlog(long records, long bytes, Optional<Long> oldestUnsentMs) {
    static Backlog of(Map<String, String> heartbeat) {
      long records = 0;
      long bytes = 0;
      Long oldest = null;
      for (Map.Entry<String, String> e : heartbeat.entrySet()) {
        long v = parse(e.getValue());
        if (e.getKey().endsWith(".backlog_records")) {
          records = Math.max(records, v);
        } else if (e.getKey().endsWith(".backlog_bytes")) {
          bytes = Math.max(bytes, v);
        } else if (e.getKey().endsWith(".oldest_unsent_ms")) {
          oldest = oldest == null ? v : Math.max(oldest, v);
        }
      }
      return new Backlog(records, bytes, Optional.ofNullable(oldest));
    }

    private static long parse(String value) {
      try {
        return Math.max(0, Long.parseLong(value));
      } catch (NumberFormatException e) {
        return 0;
      }
    }
  }
}

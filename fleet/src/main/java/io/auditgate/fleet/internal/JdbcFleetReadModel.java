package io.auditgate.fleet.internal;

import io.auditgate.fleet.CertificatePosture;
import io.auditgate.fleet.CloseableFleetReadModel;
import io.auditgate.fleet.ConnectivitySpan;
import io.auditgate.fleet.DeviceDetail;
import io.auditgate.fleet.DeviceProfile;
import io.auditgate.fleet.DeviceQuery;
import io.auditgate.fleet.DeviceRegistration;
import io.auditgate.fleet.DeviceState;
import io.auditgate.fleet.DeviceView;
import io.auditgate.fleet.EventQuery;
import io.auditgate.fleet.FleetEvent;
import io.auditgate.fleet.FleetSummary;
import io.auditgate.fleet.GatewayDetail;
import io.auditgate.fleet.GatewayQuery;
import io.auditgate.fleet.GatewaySamples;
import io.auditgate.fleet.GatewayState;
import io.auditgate.fleet.GatewayView;
import io.auditgate.fleet.LatestReading;
import io.auditgate.fleet.LatestReadingsQuery;
import io.auditgate.fleet.Page;
import io.auditgate.fleet.RegisteredVia;
import io.auditgate.fleet.SeriesBucket;
import io.auditgate.store.StoreOptions;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * The read model over JDBC. Thread-safe: each call takes a connection from its {@link Connections}
 * (new, or pooled) and gives it back; no state between calls. Windows end at the injected clock's
 * now.
 */
public final class JdbcFleetReadModel implements CloseableFleetReadModel {
  private static final Duration MAX_WINDOW = Duration.ofDays(31);
  private static final Duration THROUGHPUT_WINDOW = Duration.ofMinutes(15);

  private final Connections store;
  private final Clock clock;

  /** A new connection per call. */
  public JdbcFleetReadModel(StoreOptions store, Clock clock) {
    this(Connections.perCall(Objects.requireNonNull(store, "store")), clock);
  }

  /**
   * @param connections where each call gets its connection; closed by {@link #close()} when it is a
   *     pool
   */
  public JdbcFleetReadModel(Connections connections, Clock clock) {
    this.store = Objects.requireNonNull(connections, "connections");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void close() {
    if (store instanceof PooledConnections pool) {
      pool.close();
    }
  }

  // ---- summary ----

  @Override
  public FleetSummary summary(Duration window) {
    checkWindow(window);
    Instant now = clock.instant();
    Instant from = now.minus(window);
    return Jdbc.read(
        store,
        "fleet summary",
        c -> {
          Map<String, Long> devices = new TreeMap<>();
          for (var row :
              Jdbc.list(
                  c,
                  "SELECT status, count(*) FROM devices GROUP BY status",
                  List.of(),
                  rs -> Map.entry(rs.getString(1), rs.getLong(2)))) {
            devices.put(row.getKey(), row.getValue());
          }
          Map<String, Long> gateways = new TreeMap<>();
          long backlog = 0;
          for (var row :
              Jdbc.list(
                  c,
                  "SELECT state, count(*), coalesce(sum(backlog_records), 0) FROM gateways"
                      + " GROUP BY state",
                  List.of(),
                  rs -> List.of(rs.getString(1), rs.getLong(2), rs.getLong(3)))) {
            gateways.put((String) row.get(0), (Long) row.get(1));
            backlog += (Long) row.get(2);
          }
          long samples =
              Jdbc.count(
                  c,
                  "SELECT coalesce(sum(count), 0) FROM rollups WHERE scope = 'gateway'"
                      + " AND resolution = 'minute' AND bucket >= ? AND bucket < ?",
                  List.of(minute(from), now));
          long changes =
              Jdbc.count(
                  c, "SELECT count(*) FROM fleet_state_changes WHERE at >= ?", List.of(from));
          Optional<Instant> evaluated =
              Jdbc.one(
                  c,
                  "SELECT last_evaluated_at FROM fleet_monitor WHERE id = 1",
                  List.of(),
                  rs -> Jdbc.requiredInstant(rs, "last_evaluated_at"));
          long active = devices.getOrDefault("active", 0L);
          long stale = devices.getOrDefault("stale", 0L);
          long offline = devices.getOrDefault("offline", 0L);
          long never = devices.getOrDefault("never_seen", 0L);
          long up = gateways.getOrDefault("up", 0L);
          long down = gateways.getOrDefault("down", 0L);
          long restarted = gateways.getOrDefault("restarted", 0L);
          long interrupted = gateways.getOrDefault("upstream_interrupted", 0L);
          return new FleetSummary(
              now,
              window,
              new FleetSummary.DeviceCounts(
                  active + stale + offline + never, active, stale, offline, never),
              new FleetSummary.GatewayCounts(
                  up + down + restarted + interrupted, up, down, restarted, interrupted, backlog),
              samples,
              changes,
              evaluated);
        });
  }

  // ---- devices ----

  private static final String DEVICE_COLUMNS =
      "d.device_id, d.name, d.profile, d.location, d.firmware_version, d.tags::text AS tags,"
          + " d.status, d.state_since, d.last_telemetry_at, d.last_gateway_id, d.last_connect_at,"
          + " d.last_disconnect_at";

  @Override
  public Page<DeviceView> devices(DeviceQuery q) {
    Objects.requireNonNull(q, "query");
    StringBuilder where = new StringBuilder(" WHERE true");
    List<Object> params = new ArrayList<>();
    q.state().ifPresent(s -> add(where, params, " AND d.status = ?", s.wireName()));
    q.gatewayId().ifPresent(g -> add(where, params, " AND d.last_gateway_id = ?", g));
    q.profile().ifPresent(p -> add(where, params, " AND d.profile = ?", p));
    q.tag()
        .ifPresent(
            t -> {
              where.append(" AND d.tags @> jsonb_build_object(?::text, ?::text)");
              params.add(t.key());
              params.add(t.value());
            });
    q.text()
        .ifPresent(
            t -> {
              where.append(
                  " AND (d.device_id ILIKE ? ESCAPE '\\' OR coalesce(d.name, '') ILIKE ? ESCAPE"
                      + " '\\')");
              String like = "%" + likeEscape(t) + "%";
              params.add(like);
              params.add(like);
            });
    String direction = q.descending() ? " DESC" : " ASC";
    String order =
        switch (q.sort()) {
          case ID -> "d.device_id" + direction;
          case NAME -> "d.name" + direction + " NULLS LAST, d.device_id";
          case STATE -> "d.status" + direction + ", d.device_id";
          case LAST_TELEMETRY -> "d.last_telemetry_at" + direction + " NULLS LAST, d.device_id";
          case LAST_CONNECT -> "d.last_connect_at" + direction + " NULLS LAST, d.device_id";
        };
    return Jdbc.page(
        store,
        "devices",
        "SELECT " + DEVICE_COLUMNS + " FROM devices d" + where,
        order,
        params,
        q.limit(),
        q.offset(),
        JdbcFleetReadModel::deviceView);
  }

  private static DeviceView deviceView(ResultSet rs) throws SQLException {
    return new DeviceView(
        rs.getString("device_id"),
        Jdbc.string(rs, "name"),
        rs.getString("profile"),
        Jdbc.string(rs, "location"),
        Jdbc.string(rs, "firmware_version"),
        Json.strings(rs.getString("tags")),
        deviceState(rs.getString("status")),
        Jdbc.instant(rs, "state_since"),
        Jdbc.instant(rs, "last_telemetry_at"),
        Jdbc.string(rs, "last_gateway_id"),
        Jdbc.instant(rs, "last_connect_at"),
        Jdbc.instant(rs, "last_disconnect_at"));
  }

  @Override
  public Optional<DeviceDetail> device(String id, Duration window) {
    Objects.requireNonNull(id, "id");
    checkWindow(window);
    Instant now = clock.instant();
    Instant from = now.minus(window);
    return Jdbc.read(
        store,
        "device " + id,
        c -> {
          record Base(
              DeviceView view,
              Optional<String> certificate,
              RegisteredVia via,
              Optional<Instant> firstSeen,
              Optional<String> cause,
              Optional<Long> lastSeq,
              long duplicates,
              DeviceProfile profile) {}
          Optional<Base> base =
              Jdbc.one(
                  c,
                  "SELECT "
                      + DEVICE_COLUMNS
                      + ", d.bound_certificate_sha256, d.registered_via, d.first_seen_at,"
                      + " d.state_cause, d.last_seq, d.duplicates_discarded,"
                      + " p.expected_interval_seconds, p.stale_after_intervals, p.description"
                      + " FROM devices d JOIN device_profiles p ON p.name = d.profile"
                      + " WHERE d.device_id = ?",
                  List.of(id),
                  rs ->
                      new Base(
                          deviceView(rs),
                          Jdbc.string(rs, "bound_certificate_sha256"),
                          RegisteredVia.fromWireName(rs.getString("registered_via"))
                              .orElse(RegisteredVia.FIRST_CONTACT),
                          Jdbc.instant(rs, "first_seen_at"),
                          Jdbc.string(rs, "state_cause"),
                          Jdbc.optionalLong(rs, "last_seq"),
                          rs.getLong("duplicates_discarded"),
                          new DeviceProfile(
                              rs.getString("profile"),
                              Duration.ofSeconds(rs.getInt("expected_interval_seconds")),
                              rs.getInt("stale_after_intervals"),
                              Jdbc.string(rs, "description"))));
          if (base.isEmpty()) {
            return Optional.empty();
          }
          Base b = base.get();
          DeviceView v = b.view();
          Optional<DeviceDetail.Disconnect> disconnect =
              v.lastDisconnectAt().isEmpty()
                  ? Optional.empty()
                  : Jdbc.one(
                      c,
                      "SELECT at, reason, gateway_id FROM device_connectivity WHERE device_id = ?"
                          + " AND event = 'disconnected' AND at = ? LIMIT 1",
                      List.of(id, v.lastDisconnectAt().get()),
                      rs ->
                          new DeviceDetail.Disconnect(
                              Jdbc.requiredInstant(rs, "at"),
                              Jdbc.string(rs, "reason"),
                              rs.getString("gateway_id")));
          long samples =
              Jdbc.count(
                  c,
                  "SELECT coalesce(sum(count), 0) FROM rollups WHERE scope = 'device'"
                      + " AND scope_id = ? AND resolution = 'minute' AND bucket >= ? AND bucket < ?",
                  List.of(id, minute(from), now));
          long gaps =
              Jdbc.count(
                  c,
                  "SELECT coalesce(max(seq) - min(seq) + 1 - count(DISTINCT seq), 0) FROM messages"
                      + " WHERE device_id = ? AND seq IS NOT NULL AND received_at >= ?"
                      + " AND schema = 'telemetry.v1'",
                  List.of(id, from));
          Optional<Duration> skew =
              Jdbc.one(
                      c,
                      "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM"
                          + " received_at - device_time)) FROM (SELECT received_at, device_time"
                          + " FROM messages WHERE device_id = ? AND device_time IS NOT NULL"
                          + " ORDER BY received_at DESC LIMIT 20) m",
                      List.of(id),
                      rs -> {
                        double seconds = rs.getDouble(1);
                        return rs.wasNull()
                            ? Optional.<Duration>empty()
                            : Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
                      })
                  .flatMap(o -> o);
          List<LatestReading> latest =
              Jdbc.list(
                  c,
                  "SELECT device_id, metric, time, value, seq, gateway_id FROM latest_values"
                      + " WHERE device_id = ? ORDER BY metric",
                  List.of(id),
                  JdbcFleetReadModel::latestReading);
          Map<String, String> connection =
              Jdbc.one(
                      c,
                      "SELECT details::text FROM device_connectivity WHERE device_id = ?"
                          + " AND event = 'connected' ORDER BY at DESC LIMIT 1",
                      List.of(id),
                      rs -> Json.strings(rs.getString(1)))
                  .orElse(Map.of());
          DeviceRegistration registration =
              new DeviceRegistration(
                  v.id(),
                  v.name(),
                  v.profile(),
                  v.location(),
                  v.firmwareVersion(),
                  b.certificate(),
                  v.tags());
          return Optional.of(
              new DeviceDetail(
                  registration,
                  b.via(),
                  b.firstSeen(),
                  v.state(),
                  v.stateSince(),
                  b.cause(),
                  v.lastConnectAt(),
                  disconnect,
                  v.lastTelemetryAt(),
                  v.lastGatewayId(),
                  b.lastSeq(),
                  window,
                  samples,
                  Math.max(0, gaps),
                  b.duplicates(),
                  skew,
                  b.profile(),
                  latest,
                  connection));
        });
  }

  // ---- series and readings ----

  @Override
  public List<SeriesBucket> series(
      String deviceId, String metric, Instant from, Instant to, Duration bucket) {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(metric, "metric");
    checkRange(from, to, bucket, Duration.ofSeconds(1));
    long b = bucket.toSeconds();
    Optional<String> resolution = rollupResolution(from, to, bucket);
    String sql =
        resolution.isPresent()
            ? "SELECT to_timestamp(floor(extract(epoch FROM bucket) / ?) * ?) AS t, sum(count),"
                + " min(min), sum(sum) / sum(count), max(max) FROM rollups WHERE scope = 'device'"
                + " AND scope_id = ? AND resolution = '"
                + resolution.get()
                + "' AND metric = ? AND bucket >= ? AND bucket < ? GROUP BY 1 ORDER BY 1"
            : "SELECT to_timestamp(floor(extract(epoch FROM time) / ?) * ?) AS t, count(*),"
                + " min(value), avg(value), max(value) FROM points WHERE device_id = ?"
                + " AND metric = ? AND time >= ? AND time < ? GROUP BY 1 ORDER BY 1";
    return Jdbc.read(
        store,
        "series of " + deviceId + "/" + metric,
        c ->
            Jdbc.list(
                c,
                sql,
                List.of(b, b, deviceId, metric, from, to),
                rs ->
                    new SeriesBucket(
                        Jdbc.requiredInstant(rs, "t"),
                        rs.getLong(2),
                        rs.getDouble(3),
                        rs.getDouble(4),
                        rs.getDouble(5))));
  }

  /** The rollup resolution that answers exactly, if any: range and bucket on its boundaries. */
  private static Optional<String> rollupResolution(Instant from, Instant to, Duration bucket) {
    long b = bucket.toSeconds();
    if (bucket.toNanosPart() == 0) {
      if (b % 3600 == 0
          && from.getEpochSecond() % 3600 == 0
          && to.getEpochSecond() % 3600 == 0
          && from.getNano() == 0
          && to.getNano() == 0) {
        return Optional.of("hour");
      }
      if (b % 60 == 0
          && from.getEpochSecond() % 60 == 0
          && to.getEpochSecond() % 60 == 0
          && from.getNano() == 0
          && to.getNano() == 0) {
        return Optional.of("minute");
      }
    }
    return Optional.empty();
  }

  @Override
  public List<LatestReading> latestReadings(LatestReadingsQuery q) {
    Objects.requireNonNull(q, "query");
    StringBuilder sql =
        new StringBuilder(
            "SELECT device_id, metric, time, value, seq, gateway_id FROM latest_values WHERE true");
    List<Object> params = new ArrayList<>();
    if (!q.deviceIds().isEmpty()) {
      sql.append(" AND device_id = ANY(?)");
      params.add(q.deviceIds().toArray(String[]::new));
    }
    if (!q.metrics().isEmpty()) {
      sql.append(" AND metric = ANY(?)");
      params.add(q.metrics().toArray(String[]::new));
    }
    sql.append(" ORDER BY device_id, metric LIMIT ?");
    params.add(q.limit());
    return Jdbc.read(
        store,
        "latest readings",
        c -> Jdbc.list(c, sql.toString(), params, JdbcFleetReadModel::latestReading));
  }

  private static LatestReading latestReading(ResultSet rs) throws SQLException {
    long seq = rs.getLong("seq");
    OptionalLong s = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(seq);
    return new LatestReading(
        rs.getString("device_id"),
        rs.getString("metric"),
        Jdbc.requiredInstant(rs, "time"),
        rs.getDouble("value"),
        s,
        rs.getString("gateway_id"));
  }

  // ---- gateways ----

  private static final String GATEWAY_COLUMNS =
      "g.gateway_id, g.name, g.location, g.tags::text AS tags, g.state, g.state_since,"
          + " g.last_heartbeat_at, g.backlog_records, g.backlog_bytes, g.oldest_unsent_age_ms,"
          + " (SELECT count(*) FROM devices d WHERE d.last_gateway_id = g.gateway_id) AS devices";

  @Override
  public Page<GatewayView> gateways(GatewayQuery q) {
    Objects.requireNonNull(q, "query");
    StringBuilder where = new StringBuilder(" WHERE true");
    List<Object> params = new ArrayList<>();
    q.state().ifPresent(s -> add(where, params, " AND g.state = ?", s.wireName()));
    q.text()
        .ifPresent(
            t -> {
              where.append(
                  " AND (g.gateway_id ILIKE ? ESCAPE '\\' OR coalesce(g.name, '') ILIKE ? ESCAPE"
                      + " '\\')");
              String like = "%" + likeEscape(t) + "%";
              params.add(like);
              params.add(like);
            });
    return Jdbc.page(
        store,
        "gateways",
        "SELECT " + GATEWAY_COLUMNS + " FROM gateways g" + where,
        "g.gateway_id",
        params,
        q.limit(),
        q.offset(),
        JdbcFleetReadModel::gatewayView);
  }

  private static GatewayView gatewayView(ResultSet rs) throws SQLException {
    return new GatewayView(
        rs.getString("gateway_id"),
        Jdbc.string(rs, "name"),
        Jdbc.string(rs, "location"),
        Json.strings(rs.getString("tags")),
        GatewayState.fromWireName(rs.getString("state")).orElse(GatewayState.DOWN),
        Jdbc.instant(rs, "state_since"),
        Jdbc.instant(rs, "last_heartbeat_at"),
        rs.getLong("backlog_records"),
        rs.getLong("backlog_bytes"),
        Jdbc.optionalLong(rs, "oldest_unsent_age_ms").map(Duration::ofMillis),
        rs.getLong("devices"));
  }

  @Override
  public Optional<GatewayDetail> gateway(String id) {
    Objects.requireNonNull(id, "id");
    Instant now = clock.instant();
    Optional<GatewayDetail> detail =
        Jdbc.read(
            store,
            "gateway " + id,
            c -> {
              record Base(
                  GatewayView view,
                  Optional<String> cause,
                  Optional<Instant> first,
                  Optional<Instant> last) {}
              Optional<Base> base =
                  Jdbc.one(
                      c,
                      "SELECT "
                          + GATEWAY_COLUMNS
                          + ", g.state_cause, g.first_seen_at, g.last_seen_at FROM gateways g"
                          + " WHERE g.gateway_id = ?",
                      List.of(id),
                      rs ->
                          new Base(
                              gatewayView(rs),
                              Jdbc.string(rs, "state_cause"),
                              Jdbc.instant(rs, "first_seen_at"),
                              Jdbc.instant(rs, "last_seen_at")));
              if (base.isEmpty()) {
                return Optional.empty();
              }
              Map<String, String> heartbeat =
                  Jdbc.one(
                          c,
                          "SELECT attributes::text FROM gateway_events WHERE gateway_id = ?"
                              + " AND kind = 'heartbeat' ORDER BY at DESC LIMIT 1",
                          List.of(id),
                          rs -> Json.strings(rs.getString(1)))
                      .orElse(Map.of());
              long samples =
                  Jdbc.count(
                      c,
                      "SELECT coalesce(sum(count), 0) FROM rollups WHERE scope = 'gateway'"
                          + " AND scope_id = ? AND resolution = 'minute' AND bucket >= ?"
                          + " AND bucket < ?",
                      List.of(id, minute(now.minus(THROUGHPUT_WINDOW)), now));
              Base b = base.get();
              return Optional.of(
                  new GatewayDetail(
                      b.view(),
                      b.cause(),
                      b.first(),
                      b.last(),
                      parseLong(heartbeat.get("wal_records")),
                      sinks(heartbeat),
                      THROUGHPUT_WINDOW,
                      samples,
                      samples / (double) THROUGHPUT_WINDOW.toSeconds(),
                      List.of()));
            });
    // The events are a read of their own, through the same query the events page uses.
    return detail.map(
        d ->
            new GatewayDetail(
                d.gateway(),
                d.stateCause(),
                d.firstSeenAt(),
                d.lastSeenAt(),
                d.walRecords(),
                d.sinks(),
                d.throughputWindow(),
                d.samplesInWindow(),
                d.samplesPerSecond(),
                events(
                        EventQuery.latest()
                            .forGateway(id)
                            .ofKinds(
                                EnumSet.of(
                                    FleetEvent.Kind.GATEWAY_EVENT, FleetEvent.Kind.STATE_CHANGE))
                            .page(50, 0))
                    .items()));
  }

  /** Per sink, from heartbeat attributes {@code <sink>.backlog_records} and friends. */
  private static List<GatewayDetail.SinkStatus> sinks(Map<String, String> heartbeat) {
    Map<String, Map<String, String>> bySink = new TreeMap<>();
    heartbeat.forEach(
        (k, v) -> {
          int dot = k.indexOf('.');
          if (dot > 0) {
            bySink
                .computeIfAbsent(k.substring(0, dot), x -> new LinkedHashMap<>())
                .put(k.substring(dot + 1), v);
          }
        });
    List<GatewayDetail.SinkStatus> out = new ArrayList<>();
    bySink.forEach(
        (name, f) ->
            out.add(
                new GatewayDetail.SinkStatus(
                    name,
                    parseLong(f.get("backlog_records")),
                    Duration.ofMillis(parseLong(f.get("oldest_unsent_ms"))),
                    "interrupted".equals(f.get("state")))));
    return out;
  }

  @Override
  public List<GatewaySamples> samplesPerGateway(Instant from, Instant to, Duration bucket) {
    checkRange(from, to, bucket, Duration.ofMinutes(1));
    if (bucket.toSeconds() % 60 != 0 || bucket.toNanosPart() != 0) {
      throw new IllegalArgumentException("bucket must be a whole number of minutes, got " + bucket);
    }
    long b = bucket.toSeconds();
    String sql;
    List<Object> params;
    Instant firstHour = ceilToHour(from);
    Instant lastHour = Instant.ofEpochSecond(Math.floorDiv(to.getEpochSecond(), 3600) * 3600);
    if (b % 3600 == 0 && firstHour.isBefore(lastHour)) {
      // Whole hours from the hourly rollups (24 rows per gateway and metric for a day, where the
      // minute rollups have 1,440), the ragged edges from the minute rollups. Output buckets are
      // whole hours aligned to the epoch, so each hour falls into exactly one of them.
      sql =
          "SELECT scope_id, to_timestamp(floor(extract(epoch FROM bucket) / ?) * ?) AS t,"
              + " sum(count) FROM (SELECT scope_id, bucket, count FROM rollups"
              + " WHERE scope = 'gateway' AND resolution = 'hour' AND bucket >= ? AND bucket < ?"
              + " UNION ALL SELECT scope_id, bucket, count FROM rollups"
              + " WHERE scope = 'gateway' AND resolution = 'minute'"
              + " AND ((bucket >= ? AND bucket < ?) OR (bucket >= ? AND bucket < ?))) r"
              + " GROUP BY 1, 2 ORDER BY 1, 2";
      params = List.of(b, b, firstHour, lastHour, from, firstHour, lastHour, to);
    } else {
      String resolution = rollupResolution(from, to, bucket).orElse("minute");
      sql =
          "SELECT scope_id, to_timestamp(floor(extract(epoch FROM bucket) / ?) * ?) AS t,"
              + " sum(count) FROM rollups WHERE scope = 'gateway' AND resolution = ?"
              + " AND bucket >= ? AND bucket < ? GROUP BY 1, 2 ORDER BY 1, 2";
      params = List.of(b, b, resolution, from, to);
    }
    return Jdbc.read(
        store,
        "samples per gateway",
        c -> {
          Map<String, List<GatewaySamples.Bucket>> byGateway = new TreeMap<>();
          for (var row :
              Jdbc.list(
                  c,
                  sql,
                  params,
                  rs ->
                      Map.entry(
                          rs.getString(1),
                          new GatewaySamples.Bucket(
                              Jdbc.requiredInstant(rs, "t"), rs.getLong(3))))) {
            byGateway.computeIfAbsent(row.getKey(), k -> new ArrayList<>()).add(row.getValue());
          }
          List<GatewaySamples> out = new ArrayList<>();
          byGateway.forEach((g, buckets) -> out.add(new GatewaySamples(g, buckets)));
          return out;
        });
  }

  /** The first whole hour at or after {@code t}. */
  private static Instant ceilToHour(Instant t) {
    long s = t.getEpochSecond();
    long floor = Math.floorDiv(s, 3600) * 3600;
    return Instant.ofEpochSecond(floor == s && t.getNano() == 0 ? floor : floor + 3600);
  }

  // ---- events and connectivity ----

  @Override
  public Page<FleetEvent> events(EventQuery q) {
    Objects.requireNonNull(q, "query");
    Set<FleetEvent.Kind> kinds =
        q.kinds().isEmpty() ? EnumSet.allOf(FleetEvent.Kind.class) : EnumSet.copyOf(q.kinds());
    List<String> parts = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    if (kinds.contains(FleetEvent.Kind.STATE_CHANGE)) {
      StringBuilder s =
          new StringBuilder(
              "SELECT 'state_change:' || id AS id, at, 'state_change' AS kind, entity_kind,"
                  + " entity_id, CASE WHEN entity_kind = 'gateway' THEN entity_id END AS gateway_id,"
                  + " to_state AS type, from_state, cause, details::text AS details"
                  + " FROM fleet_state_changes WHERE true");
      q.deviceId()
          .ifPresent(d -> add(s, params, " AND entity_kind = 'device' AND entity_id = ?", d));
      q.gatewayId()
          .ifPresent(g -> add(s, params, " AND entity_kind = 'gateway' AND entity_id = ?", g));
      timeFilter(s, params, q);
      parts.add(s.toString());
    }
    if (kinds.contains(FleetEvent.Kind.GATEWAY_EVENT) && q.deviceId().isEmpty()) {
      StringBuilder s =
          new StringBuilder(
              "SELECT 'gateway_event:' || gateway_id || ':' || wal_offset AS id, at,"
                  + " 'gateway_event' AS kind, 'gateway' AS entity_kind, gateway_id AS entity_id,"
                  + " gateway_id, kind AS type, NULL AS from_state, NULL AS cause,"
                  + " attributes::text AS details"
                  + " FROM gateway_events WHERE kind <> 'heartbeat'");
      q.gatewayId().ifPresent(g -> add(s, params, " AND gateway_id = ?", g));
      timeFilter(s, params, q);
      parts.add(s.toString());
    }
    if (kinds.contains(FleetEvent.Kind.CONNECTIVITY)) {
      StringBuilder s =
          new StringBuilder(
              "SELECT 'connectivity:' || gateway_id || ':' || wal_offset AS id, at,"
                  + " 'connectivity' AS kind, 'device' AS entity_kind, device_id AS entity_id,"
                  + " gateway_id, event AS type, NULL AS from_state, reason AS cause,"
                  + " details::text AS details"
                  + " FROM device_connectivity WHERE true");
      q.deviceId().ifPresent(d -> add(s, params, " AND device_id = ?", d));
      q.gatewayId().ifPresent(g -> add(s, params, " AND gateway_id = ?", g));
      timeFilter(s, params, q);
      parts.add(s.toString());
    }
    if (parts.isEmpty()) {
      return new Page<>(List.of(), q.offset(), q.limit(), 0);
    }
    String union = String.join(" UNION ALL ", parts);
    return Jdbc.page(
        store,
        "fleet events",
        "SELECT * FROM (" + union + ") u",
        "at DESC, id DESC",
        params,
        q.limit(),
        q.offset(),
        rs ->
            new FleetEvent(
                rs.getString(1),
                Jdbc.requiredInstant(rs, "at"),
                FleetEvent.Kind.valueOf(rs.getString(3).toUpperCase(java.util.Locale.ROOT)),
                FleetEvent.EntityKind.valueOf(rs.getString(4).toUpperCase(java.util.Locale.ROOT)),
                rs.getString(5),
                Optional.ofNullable(rs.getString(6)),
                rs.getString(7),
                Optional.ofNullable(rs.getString(8)),
                Optional.ofNullable(rs.getString(9)),
                Optional.ofNullable(rs.getString(10)).orElse("{}")));
  }

  private static void timeFilter(StringBuilder s, List<Object> params, EventQuery q) {
    q.from().ifPresent(f -> add(s, params, " AND at >= ?", f));
    q.to().ifPresent(t -> add(s, params, " AND at < ?", t));
  }

  @Override
  public List<ConnectivitySpan> connectivity(String deviceId, Instant from, Instant to) {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("to must be after from");
    }
    // Disconnects that left the device other connections (a session taken over) are not the
    // device's: the same rule the store applies to last_disconnect_at. A certificate presented at
    // the HTTPS listener opens no session, so it is no span either.
    String events =
        "SELECT at, event, gateway_id, reason FROM device_connectivity WHERE device_id = ?"
            + " AND event IN ('connected', 'disconnected')"
            + " AND NOT (event = 'disconnected' AND CASE WHEN jsonb_typeof(details ->"
            + " 'other_connections') = 'number' THEN (details ->> 'other_connections')::numeric > 0"
            + " ELSE false END)";
    record Ev(Instant at, String event, String gateway, Optional<String> reason) {}
    Jdbc.Row<Ev> row =
        rs ->
            new Ev(
                Jdbc.requiredInstant(rs, "at"),
                rs.getString("event"),
                rs.getString("gateway_id"),
                Jdbc.string(rs, "reason"));
    return Jdbc.read(
        store,
        "connectivity of " + deviceId,
        c -> {
          List<Ev> list = new ArrayList<>();
          Jdbc.one(c, events + " AND at < ? ORDER BY at DESC LIMIT 1", List.of(deviceId, from), row)
              .ifPresent(list::add);
          list.addAll(
              Jdbc.list(
                  c,
                  events + " AND at >= ? AND at < ? ORDER BY at, gateway_id",
                  List.of(deviceId, from, to),
                  row));
          boolean more =
              Jdbc.one(
                      c, events + " AND at >= ? LIMIT 1", List.of(deviceId, to), rs -> Boolean.TRUE)
                  .isPresent();
          List<ConnectivitySpan> spans = new ArrayList<>();
          for (int i = 0; i < list.size(); i++) {
            Ev e = list.get(i);
            Instant start = e.at().isBefore(from) ? from : e.at();
            Optional<Instant> end =
                i + 1 < list.size()
                    ? Optional.of(list.get(i + 1).at())
                    : more ? Optional.of(to) : Optional.empty();
            boolean connected = e.event().equals("connected");
            spans.add(
                new ConnectivitySpan(
                    start,
                    end,
                    connected
                        ? ConnectivitySpan.Status.CONNECTED
                        : ConnectivitySpan.Status.DISCONNECTED,
                    e.gateway(),
                    connected ? Optional.empty() : e.reason()));
          }
          return spans;
        });
  }

  // ---- certificates and profiles ----

  @Override
  public CertificatePosture certificatePosture() {
    Instant now = clock.instant();
    return Jdbc.read(
        store,
        "certificate posture",
        c -> {
          List<CertificatePosture.SeenCertificate> certificates = new ArrayList<>();
          for (var row :
              Jdbc.list(
                  c,
                  "SELECT details ->> 'certificate_sha256' AS sha,"
                      + " max(details ->> 'certificate_subject') AS subject,"
                      + " max(details ->> 'certificate_not_after') AS not_after,"
                      + " array_agg(DISTINCT device_id::text) AS devices, min(at) AS first_at,"
                      + " max(at) AS last_at FROM device_connectivity"
                      + " WHERE event IN ('connected', 'certificate_presented')"
                      + " AND details ?? 'certificate_sha256' GROUP BY 1",
                  List.of(),
                  rs ->
                      List.<Object>of(
                          rs.getString("sha"),
                          Optional.ofNullable(rs.getString("subject")).orElse(""),
                          Optional.ofNullable(rs.getString("not_after")).orElse(""),
                          List.of((String[]) rs.getArray("devices").getArray()),
                          Jdbc.requiredInstant(rs, "first_at"),
                          Jdbc.requiredInstant(rs, "last_at")))) {
            Instant notAfter;
            try {
              notAfter = Instant.parse((String) row.get(2));
            } catch (DateTimeParseException e) {
              continue; // a connect logged without a readable expiry says nothing about it
            }
            long days = Math.floorDiv(Duration.between(now, notAfter).toSeconds(), 86_400);
            @SuppressWarnings("unchecked")
            List<String> devices = (List<String>) row.get(3);
            certificates.add(
                new CertificatePosture.SeenCertificate(
                    (String) row.get(0),
                    (String) row.get(1),
                    notAfter,
                    days,
                    !notAfter.isAfter(now),
                    Set.copyOf(devices),
                    (Instant) row.get(4),
                    (Instant) row.get(5)));
          }
          certificates.sort(
              Comparator.comparing(CertificatePosture.SeenCertificate::notAfter)
                  .thenComparing(CertificatePosture.SeenCertificate::sha256));
          long expired =
              certificates.stream().filter(CertificatePosture.SeenCertificate::expired).count();
          Instant soon = now.plus(Duration.ofDays(30));
          long expiring =
              certificates.stream()
                  .filter(x -> !x.expired() && !x.notAfter().isAfter(soon))
                  .count();
          List<CertificatePosture.DeviceCertificates> several =
              Jdbc.list(
                  c,
                  "SELECT device_id, array_agg(sha ORDER BY first_at, sha) AS shas FROM ("
                      + "SELECT device_id, details ->> 'certificate_sha256' AS sha, min(at) AS"
                      + " first_at FROM device_connectivity"
                      + " WHERE event IN ('connected', 'certificate_presented')"
                      + " AND details ?? 'certificate_sha256' GROUP BY 1, 2) x"
                      + " GROUP BY device_id HAVING count(*) > 1 ORDER BY device_id",
                  List.of(),
                  rs ->
                      new CertificatePosture.DeviceCertificates(
                          rs.getString(1), List.of((String[]) rs.getArray(2).getArray())));
          return new CertificatePosture(
              now, certificates.size(), expired, expiring, certificates, several);
        });
  }

  @Override
  public List<DeviceProfile> profiles() {
    return Jdbc.read(
        store,
        "device profiles",
        c ->
            Jdbc.list(
                c,
                "SELECT name, expected_interval_seconds, stale_after_intervals, description"
                    + " FROM device_profiles ORDER BY name",
                List.of(),
                rs ->
                    new DeviceProfile(
                        rs.getString(1),
                        Duration.ofSeconds(rs.getInt(2)),
                        rs.getInt(3),
                        Optional.ofNullable(rs.getString(4)))));
  }

  // ---- helpers ----

  private static void add(StringBuilder sql, List<Object> params, String clause, Object value) {
    sql.append(clause);
    params.add(value);
  }

  private static String likeEscape(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  private static DeviceState deviceState(String status) {
    return DeviceState.fromWireName(status).orElse(DeviceState.NEVER_SEEN);
  }

  private static long parseLong(String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(value));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Instant minute(Instant t) {
    return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), 60) * 60);
  }

  private static void checkWindow(Duration window) {
    Objects.requireNonNull(window, "window");
    if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(MAX_WINDOW) > 0) {
      throw new IllegalArgumentException("window must be 1 s .. 31 days, got " + window);
    }
  }

  private static void checkRange(Instant from, Instant to, Duration bucket, Duration minBucket) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(bucket, "bucket");
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("to must be after from");
    }
    if (bucket.compareTo(minBucket) < 0) {
      throw new IllegalArgumentException(
          "bucket must be at least " + minBucket + ", got " + bucket);
    }
    long buckets = Duration.between(from, to).toSeconds() / Math.max(1, bucket.toSeconds());
    if (buckets > MAX_BUCKETS) {
      throw new IllegalArgumentException(
          "at most " + MAX_BUCKETS + " buckets, asked for " + buckets);
    }
  }
}

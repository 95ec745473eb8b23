package io.auditgate.store.internal;

import io.auditgate.core.ingest.IngestRequest.Transport;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.envelope.EnvelopeSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * The optimistic way to write a batch's messages, for the common case that none of them is stored
 * yet: {@code COPY} the messages straight into {@code messages} and their points straight into
 * {@code points} (the partitioned parent, or the hypertable, routes them), then upsert latest
 * values, devices and gateways and (plain PostgreSQL) append rollup deltas, from {@link
 * BatchAggregates} computed in Java. The messages are sent part by part as they are decoded, so the
 * server's work overlaps the decoding. The unique indexes on {@code messages} still guard
 * exactly-once: if any message is already stored (a resend, a replay after a crash), the {@code
 * COPY} fails with {@code 23505} and {@link #write} says so; the caller rolls back and takes the
 * staging-and-merge way, which sorts new from stored row by row.
 *
 * <p>Stateless; the statements run on the caller's connection and transaction. Blocks for the round
 * trips.
 */
public final class FastPath {
  private FastPath() {}

  static final String COPY_MESSAGES =
      "COPY messages (device_id, seq, gateway_id, wal_offset, schema, received_at, device_time,"
          + " trace_id, source_topic, transport, format, metric_count, tags, payload)"
          + " FROM STDIN (FORMAT binary)";

  static final String COPY_POINTS =
      "COPY points (time, device_id, gateway_id, metric, value, seq) FROM STDIN (FORMAT binary)";

  // Rows are sorted by key in the same collation as the merge's, so that a fast-path writer and a
  // merging one lock shared rows (devices, latest values, buckets) in the same order.
  static final String LATEST =
      """
      INSERT INTO latest_values (device_id, metric, time, value, seq, gateway_id)
      SELECT d, m, t, v, s, g
      FROM unnest(?::text[], ?::text[], ?::timestamptz[], ?::double precision[], ?::bigint[],
          ?::text[]) AS u(d, m, t, v, s, g)
      ORDER BY d COLLATE "C", m COLLATE "C"
      """
          + MergeSql.LATEST_ON_CONFLICT;

  static final String DEVICES =
      """
      INSERT INTO devices (device_id, first_seen_at, last_telemetry_at, last_gateway_id, last_seq,
          last_activity_at, status, duplicates_discarded)
      SELECT d, f, t, g, s, a, 'active', 0
      FROM unnest(?::text[], ?::timestamptz[], ?::timestamptz[], ?::text[], ?::bigint[],
          ?::timestamptz[]) AS u(d, f, t, g, s, a)
      ORDER BY d COLLATE "C"
      """
          + MergeSql.DEVICES_ON_CONFLICT;

  static final String GATEWAYS =
      """
      INSERT INTO gateways (gateway_id, first_seen_at, last_seen_at)
      SELECT g, f, l FROM unnest(?::text[], ?::timestamptz[], ?::timestamptz[]) AS u(g, f, l)
      ORDER BY g COLLATE "C"
      """
          + MergeSql.GATEWAYS_ON_CONFLICT;

  static final String COPY_ROLLUP_DELTAS =
      "COPY rollup_deltas (scope, scope_id, resolution, bucket, metric, count, min, max, sum)"
          + " FROM STDIN (FORMAT binary)";

  /** SQLSTATE unique_violation: a message of the batch is already stored. */
  private static final String UNIQUE_VIOLATION = "23505";

  // The wire names of the enums a messages row holds, encoded once.
  private static final byte[][] SCHEMAS =
      wireNames(EnvelopeSchema.values(), s -> ((EnvelopeSchema) s).wireName());
  private static final byte[][] TRANSPORTS =
      wireNames(Transport.values(), e -> e.name().toLowerCase(Locale.ROOT));
  private static final byte[][] FORMATS =
      wireNames(Telemetry.Format.values(), e -> e.name().toLowerCase(Locale.ROOT));

  /** What became of a batch sent down the fast path. */
  public enum Outcome {
    /** Written in the caller's transaction, which may go on and commit. */
    WRITTEN,
    /**
     * The unique indexes refused a message ({@code 23505}): it is stored already, or its
     * idempotency key ((device_id, seq) when there is a seq, else (gateway_id, wal_offset)) occurs
     * twice in the batch. The merge sorts new from stored and knows which of two to keep.
     */
    STORED_ALREADY,
    /** A point falls on a day that has no partition yet (plain PostgreSQL). */
    NEEDS_PARTITIONS
  }

  /**
   * Writes the batch {@code decoding} reads, in the caller's transaction, sending each part's
   * messages rows as soon as it is decoded: the server inserts them while the later parts are read.
   * Anything but {@link Outcome#WRITTEN} leaves nothing the caller should keep (the transaction may
   * be aborted: the caller must roll it back) and {@code decoding} possibly unfinished. Any other
   * failure is thrown.
   *
   * @param partitions the days that have a partition, or null when points are not partitioned by
   *     the writer (TimescaleDB)
   */
  public static Outcome write(
      Connection c,
      CopyManager copy,
      BatchDecoding decoding,
      boolean withRollups,
      Set<LocalDate> partitions)
      throws SQLException, IOException {
    MessageRows rows = new MessageRows();
    List<DecodedBatch.Message> messages;
    InputStream points;
    BatchAggregates aggregates;
    boolean daysMissing;
    CopyIn in = copy.copyIn(COPY_MESSAGES);
    try {
      for (DecodedBatch part = decoding.next(); part != null; part = decoding.next()) {
        for (DecodedBatch.Message m : part.messages()) {
          rows.add(m);
        }
        rows.buffer.sendTo(in);
      }
      rows.buffer.end();
      rows.buffer.sendTo(in);
      // Built while the server works through the last messages sent.
      messages = decoding.all().messages();
      points = pointRows(messages);
      aggregates = BatchAggregates.of(messages, withRollups);
      daysMissing = partitions != null && !partitions.containsAll(decoding.all().pointDays());
      in.endCopy();
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        return Outcome.STORED_ALREADY;
      }
      throw e;
    } finally {
      // Only when building or sending rows failed on this side: the caller gives up the
      // connection then (the failure is not the database's verdict on the batch).
      cancelIfActive(in);
    }
    if (daysMissing) {
      // Found out late (days are known once the batch is decoded) and rare: a batch on a new day.
      return Outcome.NEEDS_PARTITIONS;
    }
    if (points != null) {
      copy.copyIn(COPY_POINTS, points, 1 << 16);
    }
    upsertLatest(c, aggregates.latest());
    upsertDevices(c, aggregates.devices());
    upsertGateways(c, aggregates.gateways());
    if (withRollups) {
      appendRollupDeltas(copy, aggregates.rollups());
    }
    if (ConnectivitySql.concerns(messages)) {
      recordConnectivity(c, messages);
    }
    return Outcome.WRITTEN;
  }

  private static void cancelIfActive(CopyIn in) {
    if (in.isActive()) {
      try {
        in.cancelCopy();
      } catch (SQLException e) {
        // The transaction is aborted either way and the caller rolls it back.
      }
    }
  }

  /**
   * The {@code messages} rows, as the merge would insert them from staging, built part by part.
   * Names and tag sets repeat across a batch: each is encoded once.
   */
  static final class MessageRows {
    final CopyBinary buffer = new CopyBinary(BatchDecoding.PART * 300);
    private final Map<String, byte[]> names = new HashMap<>();
    // A fleet's messages carry a handful of distinct tag sets: each is written as JSON once.
    private final Map<Map<String, String>, byte[]> tagsJson = new HashMap<>();

    void add(DecodedBatch.Message m) {
      Telemetry t = m.envelope().telemetry();
      buffer
          .row(14)
          .text(names.computeIfAbsent(t.deviceId(), FastPath::utf8))
          .int64OrNull(t.seq().isPresent() ? t.seq().getAsLong() : null)
          .text(names.computeIfAbsent(m.record().gatewayId(), FastPath::utf8))
          .int64Value(m.record().walOffset())
          .text(SCHEMAS[m.envelope().schema().ordinal()])
          .timestamptz(t.receivedAt())
          .timestamptzOrNull(t.deviceTime().orElse(null))
          .text(t.traceId())
          .text(t.sourceTopic())
          .text(TRANSPORTS[m.envelope().transport().ordinal()])
          .text(FORMATS[t.format().ordinal()])
          .int16Value((short) t.metrics().size())
          .jsonb(
              tagsJson.computeIfAbsent(t.tags(), tags -> utf8(CopyText.json(new TreeMap<>(tags)))))
          .jsonbOrNull(t.payload().orElse(null));
    }
  }

  private static byte[][] wireNames(Enum<?>[] values, Function<Enum<?>, String> name) {
    byte[][] names = new byte[values.length][];
    for (Enum<?> value : values) {
      names[value.ordinal()] = utf8(name.apply(value));
    }
    return names;
  }

  /**
   * The {@code points} rows, one per metric, filed under the message's point time; {@code null}
   * when the batch has none. Binary: six narrow columns of which two are a timestamp and a double,
   * whose text the server would otherwise parse for every point.
   */
  static InputStream pointRows(List<DecodedBatch.Message> messages) {
    CopyBinary rows = null;
    Map<String, byte[]> names = new HashMap<>();
    for (DecodedBatch.Message m : messages) {
      Telemetry t = m.envelope().telemetry();
      if (t.metrics().isEmpty()) {
        continue;
      }
      if (rows == null) {
        rows = new CopyBinary(messages.size() * t.metrics().size() * 80);
      }
      byte[] device = names.computeIfAbsent(t.deviceId(), FastPath::utf8);
      byte[] gateway = names.computeIfAbsent(m.record().gatewayId(), FastPath::utf8);
      Long seq = t.seq().isPresent() ? t.seq().getAsLong() : null;
      for (Map.Entry<String, Double> point : t.metrics().entrySet()) {
        rows.row(6)
            .timestamptz(m.time())
            .text(device)
            .text(gateway)
            .text(names.computeIfAbsent(point.getKey(), FastPath::utf8))
            .float8(point.getValue())
            .int64OrNull(seq);
      }
    }
    return rows == null ? null : rows.finish();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void upsertLatest(Connection c, List<BatchAggregates.Latest> latest)
      throws SQLException {
    int n = latest.size();
    if (n == 0) {
      return;
    }
    String[] devices = new String[n];
    String[] metrics = new String[n];
    String[] times = new String[n];
    Double[] values = new Double[n];
    Long[] seqs = new Long[n];
    String[] gateways = new String[n];
    for (int i = 0; i < n; i++) {
      BatchAggregates.Latest l = latest.get(i);
      devices[i] = l.deviceId();
      metrics[i] = l.metric();
      times[i] = l.time().toString();
      values[i] = l.value();
      seqs[i] = l.seq();
      gateways[i] = l.gatewayId();
    }
    try (PreparedStatement ps = c.prepareStatement(LATEST)) {
      ps.setArray(1, c.createArrayOf("text", devices));
      ps.setArray(2, c.createArrayOf("text", metrics));
      ps.setArray(3, c.createArrayOf("text", times));
      ps.setArray(4, c.createArrayOf("float8", values));
      ps.setArray(5, c.createArrayOf("int8", seqs));
      ps.setArray(6, c.createArrayOf("text", gateways));
      ps.executeUpdate();
    }
  }

  private static void upsertDevices(Connection c, List<BatchAggregates.DeviceRow> devices)
      throws SQLException {
    int n = devices.size();
    String[] ids = new String[n];
    String[] first = new String[n];
    String[] lastTelemetry = new String[n];
    String[] lastGateway = new String[n];
    Long[] lastSeq = new Long[n];
    String[] lastActivity = new String[n];
    for (int i = 0; i < n; i++) {
      BatchAggregates.DeviceRow d = devices.get(i);
      ids[i] = d.deviceId();
      first[i] = d.firstSeenAt().toString();
      lastTelemetry[i] = d.lastTelemetryAt() == null ? null : d.lastTelemetryAt().toString();
      lastGateway[i] = d.lastGatewayId();
      lastSeq[i] = d.lastSeq();
      lastActivity[i] = d.lastActivityAt().toString();
    }
    try (PreparedStatement ps = c.prepareStatement(DEVICES)) {
      ps.setArray(1, c.createArrayOf("text", ids));
      ps.setArray(2, c.createArrayOf("text", first));
      ps.setArray(3, c.createArrayOf("text", lastTelemetry));
      ps.setArray(4, c.createArrayOf("text", lastGateway));
      ps.setArray(5, c.createArrayOf("int8", lastSeq));
      ps.setArray(6, c.createArrayOf("text", lastActivity));
      ps.executeUpdate();
    }
  }

  private static void upsertGateways(Connection c, List<BatchAggregates.GatewayRow> gateways)
      throws SQLException {
    int n = gateways.size();
    String[] ids = new String[n];
    String[] first = new String[n];
    String[] last = new String[n];
    for (int i = 0; i < n; i++) {
      BatchAggregates.GatewayRow g = gateways.get(i);
      ids[i] = g.gatewayId();
      first[i] = g.firstSeenAt().toString();
      last[i] = g.lastSeenAt().toString();
    }
    try (PreparedStatement ps = c.prepareStatement(GATEWAYS)) {
      ps.setArray(1, c.createArrayOf("text", ids));
      ps.setArray(2, c.createArrayOf("text", first));
      ps.setArray(3, c.createArrayOf("text", last));
      ps.executeUpdate();
    }
  }

  /** What the batch adds to each rollup bucket, appended for a later fold (no upsert here). */
  private static void appendRollupDeltas(CopyManager copy, List<BatchAggregates.Rollup> rollups)
      throws SQLException, IOException {
    if (rollups.isEmpty()) {
      return;
    }
    CopyBinary rows = new CopyBinary(rollups.size() * 120);
    Map<String, byte[]> names = new HashMap<>();
    for (BatchAggregates.Rollup r : rollups) {
      rows.row(9)
          .text(names.computeIfAbsent(r.scope(), FastPath::utf8))
          .text(names.computeIfAbsent(r.scopeId(), FastPath::utf8))
          .text(names.computeIfAbsent(r.resolution(), FastPath::utf8))
          .timestamptz(r.bucket())
          .text(names.computeIfAbsent(r.metric(), FastPath::utf8))
          .int64Value(r.count())
          .float8(r.min())
          .float8(r.max())
          .float8(r.sum());
    }
    copy.copyIn(COPY_ROLLUP_DELTAS, rows.finish(), 1 << 16);
  }

  /** The batch's device events that may be connects or disconnects, as arrays. */
  private static void recordConnectivity(Connection c, List<DecodedBatch.Message> messages)
      throws SQLException {
    List<DecodedBatch.Message> events = new ArrayList<>();
    for (DecodedBatch.Message m : messages) {
      if (m.envelope().schema() == EnvelopeSchema.DEVICE_EVENT_V1
          && m.envelope().telemetry().payload().isPresent()) {
        events.add(m);
      }
    }
    int n = events.size();
    String[] gateways = new String[n];
    Long[] offsets = new Long[n];
    String[] devices = new String[n];
    String[] ats = new String[n];
    String[] payloads = new String[n];
    for (int i = 0; i < n; i++) {
      DecodedBatch.Message m = events.get(i);
      gateways[i] = m.record().gatewayId();
      offsets[i] = m.record().walOffset();
      devices[i] = m.envelope().telemetry().deviceId();
      ats[i] = m.envelope().telemetry().receivedAt().toString();
      payloads[i] = m.envelope().telemetry().payload().orElseThrow();
    }
    try (PreparedStatement ps = c.prepareStatement(ConnectivitySql.RECORD_GIVEN)) {
      ps.setArray(1, c.createArrayOf("text", gateways));
      ps.setArray(2, c.createArrayOf("int8", offsets));
      ps.setArray(3, c.createArrayOf("text", devices));
      ps.setArray(4, c.createArrayOf("text", ats));
      ps.setArray(5, c.createArrayOf("text", payloads));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
      }
    }
  }
}

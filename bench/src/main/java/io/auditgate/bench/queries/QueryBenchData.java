package io.auditgate.bench.queries;

import io.auditgate.store.StoreMaintenance;
import io.auditgate.store.StoreOptions;
import io.auditgate.store.StoreSchema.Flavor;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * The fleet history {@code auditgate bench queries} asks its questions of: the points streamed in
 * with {@code COPY} in time order (as the writer lays them down), then the tables the writer keeps
 * beside them — minute and hour rollups per device and per gateway, latest values, devices and
 * gateways — derived from those points by SQL, so that they hold exactly what the writer would have
 * written for the same messages. Generating them through the writer itself would take over ten
 * minutes for 100 million points and measure the writer, which {@code bench store} does.
 *
 * <p>The shape: device {@code i} reports through gateway {@code i % gateways} every {@code
 * interval} until the end of the history, except the last {@code staleDevices} reporting devices,
 * which stopped an hour before it, and {@code neverSeenDevices} registered devices with no history.
 */
final class QueryBenchData {
  static final String[] METRICS = {
    "temp_c", "humidity", "pressure_hpa", "accel_x", "accel_y", "accel_z"
  };

  /** Every device is a B-L475E-IOT01A: expected every 10 s, stale after 3 silent intervals. */
  static final String PROFILE = "b-l475e-iot01a";

  static final Duration STALE_AFTER = Duration.ofSeconds(30);

  private final QueryBenchOptions options;
  private final Instant end;
  private final Duration staleFor;

  QueryBenchData(QueryBenchOptions options, Instant end) {
    this.options = options;
    this.end = end;
    // An hour, or a quarter of a short history.
    Duration quarter = options.history().dividedBy(4);
    this.staleFor = quarter.compareTo(Duration.ofHours(1)) < 0 ? quarter : Duration.ofHours(1);
  }

  static String device(int i) {
    return String.format("b-l475e-%04d", i);
  }

  static String gateway(int i) {
    return String.format("gw-%02d", i);
  }

  Instant start() {
    return end.minus(options.history());
  }

  Instant end() {
    return end;
  }

  /** Devices with history: the first {@code devices - neverSeen}. */
  int reporting() {
    return options.devices() - options.neverSeenDevices();
  }

  boolean stale(int device) {
    return device >= reporting() - options.staleDevices() && device < reporting();
  }

  void generate(StoreOptions store, PrintStream progress) throws SQLException {
    Clock atStart = Clock.fixed(start(), ZoneOffset.UTC);
    int days = (int) options.history().toDays() + 2;
    new StoreMaintenance(store, Flavor.POSTGRES, atStart).createPartitionsAhead(days);
    try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.driverProperties())) {
      long t0 = System.nanoTime();
      copyPoints(c, progress);
      progress.printf(
          "bench queries: %,d points copied in %.0f s%n",
          options.points(), (System.nanoTime() - t0) / 1e9);
      long t1 = System.nanoTime();
      derive(c, progress);
      progress.printf(
          "bench queries: rollups, latest values, devices and gateways derived in %.0f s%n",
          (System.nanoTime() - t1) / 1e9);
    }
  }

  private void copyPoints(Connection c, PrintStream progress) throws SQLException {
    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
    int metrics = options.metricsPerMessage();
    long messages = options.messagesPerDevice();
    long intervalMillis = options.interval().toMillis();
    long startMillis = start().toEpochMilli();
    long staleFrom = end.minus(staleFor).toEpochMilli();
    long total = (long) messages * reporting() * metrics;
    long written = 0;
    long nextReport = total / 10;
    CopyIn in =
        copy.copyIn("COPY points (time, device_id, gateway_id, metric, value, seq) FROM STDIN");
    try (Writer w = new CopyInWriter(in)) {
      StringBuilder row = new StringBuilder(96);
      for (long k = 0; k < messages; k++) {
        long at = startMillis + k * intervalMillis;
        String time = Instant.ofEpochMilli(at).toString();
        for (int d = 0; d < reporting(); d++) {
          if (stale(d) && at >= staleFrom) {
            continue;
          }
          String device = device(d);
          String gateway = gateway(d % options.gateways());
          for (int m = 0; m < metrics; m++) {
            row.setLength(0);
            row.append(time).append('\t').append(device).append('\t').append(gateway).append('\t');
            row.append(METRICS[m]).append('\t');
            // A slow daily wave per device, so charts and aggregates have something to show.
            double value = 20 + m * 10 + 5 * Math.sin((at / 3_600_000.0 + d) / 3.8);
            row.append(Math.round(value * 100) / 100.0).append('\t').append(k + 1).append('\n');
            w.write(row.toString());
          }
          written += metrics;
        }
        if (written >= nextReport) {
          progress.printf("bench queries: %,d of %,d points%n", written, total);
          nextReport += total / 10;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("COPY of the generated points failed", e);
    }
  }

  private void derive(Connection c, PrintStream progress) throws SQLException {
    try (Statement s = c.createStatement()) {
      // One pass over the points (per device and minute); the coarser rollups are folded from
      // it, as count/min/max/sum combine exactly. The rollups' indexes are built once at the end,
      // which is what a bulk load wants; the table ends up as the writer leaves it.
      timed(s, progress, "SET work_mem = '512MB'");
      timed(s, progress, "ALTER TABLE rollups_folded DROP CONSTRAINT rollups_pkey");
      timed(s, progress, "DROP INDEX rollups_bucket");
      timed(
          s,
          progress,
          "INSERT INTO rollups_folded (scope, scope_id, resolution, bucket, metric, count, min, max, sum)"
              + " SELECT 'device', device_id, 'minute', date_trunc('minute', time), metric,"
              + " count(*), min(value), max(value), sum(value) FROM points GROUP BY 2, 4, 5");
      StringBuilder gatewayOf = new StringBuilder();
      for (int d = 0; d < reporting(); d++) {
        gatewayOf.append(d == 0 ? "" : ",");
        gatewayOf.append("('").append(device(d)).append("','");
        gatewayOf.append(gateway(d % options.gateways())).append("')");
      }
      timed(
          s,
          progress,
          "INSERT INTO rollups_folded (scope, scope_id, resolution, bucket, metric, count, min, max, sum)"
              + " SELECT 'gateway', g.gateway_id, 'minute', r.bucket, r.metric, sum(r.count),"
              + " min(r.min), max(r.max), sum(r.sum) FROM rollups_folded r JOIN (VALUES "
              + gatewayOf
              + ") g(device_id, gateway_id) ON g.device_id = r.scope_id"
              + " WHERE r.scope = 'device' GROUP BY 2, 4, 5");
      for (String scope : new String[] {"device", "gateway"}) {
        timed(
            s,
            progress,
            "INSERT INTO rollups_folded (scope, scope_id, resolution, bucket, metric, count, min, max,"
                + " sum) SELECT scope, scope_id, 'hour', date_trunc('hour', bucket), metric,"
                + " sum(count), min(min), max(max), sum(sum) FROM rollups_folded WHERE scope = '"
                + scope
                + "' AND resolution = 'minute' GROUP BY 1, 2, 4, 5");
      }
      timed(
          s,
          progress,
          "ALTER TABLE rollups_folded ADD CONSTRAINT rollups_pkey"
              + " PRIMARY KEY (scope, scope_id, resolution, bucket, metric)");
      timed(s, progress, "CREATE INDEX rollups_bucket ON rollups_folded (resolution, bucket)");
      timed(
          s,
          progress,
          "INSERT INTO latest_values (device_id, metric, time, value, seq, gateway_id)"
              + " SELECT DISTINCT ON (device_id, metric) device_id, metric, time, value, seq,"
              + " gateway_id FROM points WHERE time > '"
              + end.minus(staleFor.plusMinutes(10))
              + "' ORDER BY device_id, metric, time DESC");
      timed(
          s,
          progress,
          "INSERT INTO devices (device_id, profile, first_seen_at, last_telemetry_at,"
              + " last_gateway_id, last_seq, last_activity_at, last_connect_at)"
              + " SELECT device_id, '"
              + PROFILE
              + "', '"
              + start()
              + "', time, gateway_id, seq, time, '"
              + start()
              + "' FROM latest_values WHERE metric = 'temp_c'");
      StringBuilder neverSeen = new StringBuilder();
      for (int d = reporting(); d < options.devices(); d++) {
        neverSeen
            .append(neverSeen.isEmpty() ? "" : ",")
            .append("('")
            .append(device(d))
            .append("')");
      }
      if (!neverSeen.isEmpty()) {
        timed(
            s,
            progress,
            "INSERT INTO devices (device_id, profile, registered_via) SELECT d, '"
                + PROFILE
                + "', 'import' FROM (VALUES "
                + neverSeen
                + ") v(d)");
      }
      timed(
          s,
          progress,
          "INSERT INTO gateways (gateway_id, first_seen_at, last_seen_at)"
              + " SELECT last_gateway_id, min(first_seen_at), max(last_telemetry_at) FROM devices"
              + " WHERE last_gateway_id IS NOT NULL GROUP BY 1");
      timed(s, progress, "VACUUM ANALYZE");
    }
  }

  private static void timed(Statement s, PrintStream progress, String sql) throws SQLException {
    long t0 = System.nanoTime();
    s.execute(sql);
    progress.printf(
        "bench queries:   %.1f s  %s%n",
        (System.nanoTime() - t0) / 1e9, sql.length() > 90 ? sql.substring(0, 90) + "..." : sql);
  }

  /** Streams characters into a {@link CopyIn}, UTF-8, in 64 KiB writes. */
  private static final class CopyInWriter extends Writer {
    private final CopyIn in;
    private final byte[] buffer = new byte[1 << 16];
    private int used;

    CopyInWriter(CopyIn in) {
      this.in = in;
    }

    @Override
    public void write(char[] chars, int off, int len) throws IOException {
      byte[] bytes = new String(chars, off, len).getBytes(StandardCharsets.UTF_8);
      if (used + bytes.length > buffer.length) {
        flush();
      }
      System.arraycopy(bytes, 0, buffer, used, bytes.length);
      used += bytes.length;
    }

    @Override
    public void write(String s) throws IOException {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      if (used + bytes.length > buffer.length) {
        flush();
      }
      System.arraycopy(bytes, 0, buffer, used, bytes.length);
      used += bytes.length;
    }

    @Override
    public void flush() throws IOException {
      try {
        if (used > 0) {
          in.writeToCopy(buffer, 0, used);
          used = 0;
        }
      } catch (SQLException e) {
        throw new IOException(e.getMessage(), e);
      }
    }

    @Override
    public void close() throws IOException {
      flush();
      try {
        in.endCopy();
      } catch (SQLException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
  }
}

package io.auditgate.app.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Watches the store for new messages and records, for each, how long after the board published it
 * (its {@code ts}, stored as {@code device_time}) it became visible to a reader of the database.
 * One query per poll reads every board's new rows past its high-water mark through the {@code
 * (device_id, seq)} index; rows of one board become visible in {@code seq} order (one Kafka
 * partition per board, one transaction per batch), so the mark never skips a row.
 *
 * <p>The poll interval bounds the error: a row is seen at most one interval (plus one query) after
 * it became visible. Not thread-safe: one thread polls.
 */
final class VisibilityProbe implements AutoCloseable {
  private static final String NEW_ROWS =
      "SELECT m.device_id, m.seq, m.device_time FROM unnest(?::text[], ?::bigint[]) AS w(device_id,"
          + " after) CROSS JOIN LATERAL (SELECT device_id, seq, device_time FROM messages"
          + " WHERE device_id = w.device_id AND seq > w.after AND seq IS NOT NULL"
          + " ORDER BY seq LIMIT 100000) m";

  private final Connection connection;
  private final PreparedStatement query;
  private final List<String> devices;
  private final Clock clock;
  private final Map<String, Long> watermark = new HashMap<>();
  private long[] latenciesMicros = new long[1 << 16];
  private int count;
  private Instant firstPublished;
  private final List<Long> worstBySecond = new ArrayList<>();

  VisibilityProbe(String jdbcUrl, Properties credentials, List<String> devices, Clock clock)
      throws SQLException {
    this.connection = DriverManager.getConnection(jdbcUrl, credentials);
    this.query = connection.prepareStatement(NEW_ROWS);
    this.devices = List.copyOf(devices);
    this.clock = clock;
    devices.forEach(d -> watermark.put(d, 0L));
  }

  /** Reads what became visible since the last poll; returns how many rows. */
  int poll() throws SQLException {
    Long[] marks = devices.stream().map(watermark::get).toArray(Long[]::new);
    Array ids = connection.createArrayOf("text", devices.toArray());
    Array afters = connection.createArrayOf("bigint", marks);
    query.setArray(1, ids);
    query.setArray(2, afters);
    int rows = 0;
    try (ResultSet rs = query.executeQuery()) {
      Instant seenAt = clock.instant();
      while (rs.next()) {
        rows++;
        watermark.merge(rs.getString(1), rs.getLong(2), Math::max);
        Timestamp published = rs.getTimestamp(3);
        if (published != null) {
          record(published.toInstant(), Duration.between(published.toInstant(), seenAt));
        }
      }
    }
    return rows;
  }

  /** Forgets what was measured (the watermarks stay). */
  void reset() {
    count = 0;
    firstPublished = null;
    worstBySecond.clear();
  }

  /** Starts over for boards whose seq begins again at 1. */
  void resetWatermarks() {
    devices.forEach(d -> watermark.put(d, 0L));
  }

  int count() {
    return count;
  }

  /** The latency quantile in milliseconds (exact over every message measured). */
  double quantileMillis(double q) {
    if (count == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(latenciesMicros, count);
    Arrays.sort(sorted);
    int index = (int) Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1));
    return sorted[index] / 1000.0;
  }

  /**
   * The worst latency of the messages published in each second of the step, counted from the first
   * publish seen (a message published before it, seen later, counts in second 0): shows whether a
   * queue builds at the start of a step, stays, or comes in bursts.
   */
  List<Double> worstMillisByPublishSecond() {
    List<Double> millis = new ArrayList<>(worstBySecond.size());
    worstBySecond.forEach(micros -> millis.add(micros / 1000.0));
    return millis;
  }

  private void record(Instant published, Duration latency) {
    long micros = Math.max(0, latency.toNanos() / 1_000);
    if (firstPublished == null) {
      firstPublished = published;
    }
    int second = (int) Math.max(0, Duration.between(firstPublished, published).toSeconds());
    while (worstBySecond.size() <= second) {
      worstBySecond.add(0L);
    }
    worstBySecond.set(second, Math.max(worstBySecond.get(second), micros));
    if (count == latenciesMicros.length) {
      latenciesMicros = Arrays.copyOf(latenciesMicros, count * 2);
    }
    latenciesMicros[count++] = Math.max(0, micros);
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // Nothing to keep: the probe only read.
    }
  }
}

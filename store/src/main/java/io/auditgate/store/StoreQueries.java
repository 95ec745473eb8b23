package io.auditgate.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The few reads the demo's reconciliation and the tests need; the fleet API (issue 5) builds its
 * own. Each call opens a short connection. Thread-safe; blocks for the query.
 *
 * @throws StoreException from every method if the database cannot be read
 */
public final class StoreQueries {
  private final StoreOptions options;

  public StoreQueries(StoreOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Messages stored for one device.
   *
   * @param messages rows in the message table
   * @param distinctSeqs distinct {@code seq} values among them: equal to the messages that carry a
   *     seq, since the key makes a second copy impossible; reconciliation compares these with what
   *     the devices were acknowledged for
   * @param withoutSeq messages keyed by gateway and log offset instead
   */
  public record DeviceCounts(
      String deviceId, long messages, long distinctSeqs, long withoutSeq, OptionalLong maxSeq) {}

  /** A latest value. */
  public record LatestValue(String metric, Instant time, double value, OptionalLong seq) {}

  /** A stored gateway event. */
  public record StoredGatewayEvent(
      String gatewayId, long walOffset, String kind, Instant at, String attributesJson) {}

  /**
   * A connect or disconnect of a device, as the gateway's MQTT listener logged it.
   *
   * @param event {@code connected} or {@code disconnected}
   * @param reason why a connection ended (the listener's close reason); empty for a connect
   * @param detailsJson the rest of the event: client id, protocol, TLS, authentication
   */
  public record ConnectivityEvent(
      String deviceId,
      String gatewayId,
      long walOffset,
      Instant at,
      String event,
      Optional<String> reason,
      String detailsJson) {}

  /** Per device, by device id. */
  public Map<String, DeviceCounts> messageCountsByDevice() {
    String sql =
        "SELECT device_id, count(*), count(DISTINCT seq), count(*) FILTER (WHERE seq IS NULL),"
            + " max(seq) FROM messages GROUP BY device_id ORDER BY device_id";
    return query(
        sql,
        List.of(),
        rs -> {
          Map<String, DeviceCounts> out = new LinkedHashMap<>();
          while (rs.next()) {
            long max = rs.getLong(5);
            OptionalLong maxSeq = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(max);
            out.put(
                rs.getString(1),
                new DeviceCounts(
                    rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), maxSeq));
          }
          return out;
        });
  }

  /** Messages in the store. */
  public long messageCount() {
    return single("SELECT count(*) FROM messages");
  }

  /** Telemetry points in the store. */
  public long pointCount() {
    return single("SELECT count(*) FROM points");
  }

  /**
   * Messages stored more than once under their idempotency key; always 0, because unique indexes
   * enforce the key. Reconciliation reports it anyway, so that the claim is checked, not assumed.
   */
  public long duplicateMessages() {
    return single(
        "SELECT (SELECT count(*) - count(DISTINCT (device_id, seq)) FROM messages"
            + " WHERE seq IS NOT NULL) + (SELECT count(*) - count(DISTINCT (gateway_id,"
            + " wal_offset)) FROM messages WHERE seq IS NULL)");
  }

  /** The device's latest value per metric, by metric name. */
  public Map<String, LatestValue> latestValues(String deviceId) {
    return query(
        "SELECT metric, time, value, seq FROM latest_values WHERE device_id = ? ORDER BY metric",
        List.of(deviceId),
        rs -> {
          Map<String, LatestValue> out = new LinkedHashMap<>();
          while (rs.next()) {
            long seq = rs.getLong(4);
            OptionalLong s = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(seq);
            out.put(
                rs.getString(1),
                new LatestValue(
                    rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getDouble(3), s));
          }
          return out;
        });
  }

  /** Telemetry messages in the store: messages without device events. */
  public long telemetryMessageCount() {
    return single("SELECT count(*) FROM messages WHERE schema = 'telemetry.v1'");
  }

  /**
   * The device's connects and disconnects (and certificates presented at the HTTPS listener),
   * oldest first, at most {@code limit}.
   */
  public List<ConnectivityEvent> connectivity(String deviceId, int limit) {
    return query(
        "SELECT device_id, gateway_id, wal_offset, at, event, reason, details::text"
            + " FROM device_connectivity WHERE device_id = ? ORDER BY at, gateway_id, wal_offset"
            + " LIMIT ?",
        List.of(deviceId, limit),
        rs -> {
          List<ConnectivityEvent> out = new ArrayList<>();
          while (rs.next()) {
            out.add(
                new ConnectivityEvent(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getLong(3),
                    rs.getTimestamp(4).toInstant(),
                    rs.getString(5),
                    Optional.ofNullable(rs.getString(6)),
                    rs.getString(7)));
          }
          return out;
        });
  }

  /** The gateway's events, oldest first, at most {@code limit}. */
  public List<StoredGatewayEvent> gatewayEvents(String gatewayId, int limit) {
    return query(
        "SELECT gateway_id, wal_offset, kind, at, attributes::text FROM gateway_events"
            + " WHERE gateway_id = ? ORDER BY at, wal_offset LIMIT ?",
        List.of(gatewayId, limit),
        rs -> {
          List<StoredGatewayEvent> out = new ArrayList<>();
          while (rs.next()) {
            out.add(
                new StoredGatewayEvent(
                    rs.getString(1),
                    rs.getLong(2),
                    rs.getString(3),
                    rs.getTimestamp(4).toInstant(),
                    rs.getString(5)));
          }
          return out;
        });
  }

  private long single(String sql) {
    return query(
        sql,
        List.of(),
        rs -> {
          rs.next();
          return rs.getLong(1);
        });
  }

  private interface Rows<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** The {@code seq} of every stored message of {@code deviceId}, ascending. */
  public long[] storedSeqs(String deviceId) {
    return query(
        "SELECT seq FROM messages WHERE device_id = ? AND seq IS NOT NULL ORDER BY seq",
        List.of(deviceId),
        rs -> {
          java.util.stream.LongStream.Builder seqs = java.util.stream.LongStream.builder();
          while (rs.next()) {
            seqs.add(rs.getLong(1));
          }
          return seqs.build().toArray();
        });
  }

  /**
   * Per device, metric values stored more than once for the same message ({@code seq} and metric).
   * The points table has no unique key (it is partitioned by time), so only the writer's merge
   * keeps this at zero: this is the check that it does.
   */
  public Map<String, Long> duplicatePointsByDevice() {
    return query(
        "SELECT device_id, count(*) - count(DISTINCT (seq, metric)) FROM points"
            + " WHERE seq IS NOT NULL GROUP BY device_id ORDER BY device_id",
        List.of(),
        rs -> {
          Map<String, Long> out = new LinkedHashMap<>();
          while (rs.next()) {
            out.put(rs.getString(1), rs.getLong(2));
          }
          return out;
        });
  }

  private <T> T query(String sql, List<Object> parameters, Rows<T> rows) {
    try (Connection c = DriverManager.getConnection(options.jdbcUrl(), options.driverProperties());
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.size(); i++) {
        ps.setObject(i + 1, parameters.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rows.read(rs);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the store: " + e.getMessage(), e);
    }
  }
}

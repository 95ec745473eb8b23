package io.auditgate.bench.queries;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * The dashboard's four questions answered the naive way: straight from the raw {@code points}
 * table, as one would without the rollups and the fleet state the store keeps. Each method reads
 * the whole answer (so the database cannot stop early) and returns how many rows it had.
 */
final class NaiveQueries {
  private final Connection c;
  private final Instant end;
  private final Duration staleAfter;

  NaiveQueries(Connection c, Instant end, Duration staleAfter) {
    this.c = c;
    this.end = end;
    this.staleAfter = staleAfter;
  }

  /** Active and stale devices, active gateways. */
  int fleetSummary() throws SQLException {
    return rows(
        "SELECT count(*) FILTER (WHERE last >= ?) AS active, count(*) FILTER (WHERE last < ?)"
            + " AS stale, (SELECT count(DISTINCT gateway_id) FROM points WHERE time >= ?) AS"
            + " gateways FROM (SELECT device_id, max(time) AS last FROM points GROUP BY device_id) d",
        ts(end.minus(staleAfter)),
        ts(end.minus(staleAfter)),
        ts(end.minus(staleAfter)));
  }

  /** Devices whose last point is older than the stale threshold, longest silent first. */
  int staleDevices() throws SQLException {
    return rows(
        "SELECT device_id, max(time) AS last FROM points GROUP BY device_id HAVING max(time) < ?"
            + " ORDER BY last",
        ts(end.minus(staleAfter)));
  }

  /** Points per gateway per hour over the last 24 hours. */
  int samplesPerGateway() throws SQLException {
    return rows(
        "SELECT gateway_id, date_trunc('hour', time) AS bucket, count(*) FROM points"
            + " WHERE time >= ? AND time < ? GROUP BY 1, 2 ORDER BY 1, 2",
        ts(end.minus(Duration.ofHours(24))),
        ts(end));
  }

  /** One device's temperature over 7 days in hourly min/avg/max. */
  int deviceChart(String device) throws SQLException {
    return rows(
        "SELECT date_trunc('hour', time) AS bucket, count(*), min(value), avg(value), max(value)"
            + " FROM points WHERE device_id = ? AND metric = 'temp_c' AND time >= ? AND time < ?"
            + " GROUP BY 1 ORDER BY 1",
        device,
        ts(end.minus(Duration.ofDays(7))),
        ts(end));
  }

  private int rows(String sql, Object... parameters) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        int n = 0;
        while (rs.next()) {
          n++;
        }
        return n;
      }
    }
  }

  private static Timestamp ts(Instant at) {
    return Timestamp.from(at);
  }
}

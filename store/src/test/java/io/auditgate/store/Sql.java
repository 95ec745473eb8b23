package io.auditgate.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Plain queries for assertions. */
final class Sql {
  /** Every rollup bucket as the view {@code rollups} has it, in key order. */
  static final String ROLLUPS =
      "SELECT scope, scope_id, resolution, bucket, metric, count, min, max, sum, avg"
          + " FROM rollups ORDER BY 1, 2, 3, 4, 5";

  /** {@link #ROLLUPS} recounted from the points, column for column. */
  static final String ROLLUPS_RECOUNTED =
      """
      SELECT scope, scope_id, resolution, bucket, metric, count(*), min(value), max(value),
          sum(value), sum(value) / count(*)
      FROM (
        SELECT 'device' AS scope, device_id AS scope_id, 'minute' AS resolution,
            date_trunc('minute', time, 'UTC') AS bucket, metric, value FROM points
        UNION ALL SELECT 'device', device_id, 'hour', date_trunc('hour', time, 'UTC'), metric,
            value FROM points
        UNION ALL SELECT 'gateway', gateway_id, 'minute', date_trunc('minute', time, 'UTC'),
            metric, value FROM points
        UNION ALL SELECT 'gateway', gateway_id, 'hour', date_trunc('hour', time, 'UTC'),
            metric, value FROM points
      ) p
      GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
      """;

  private Sql() {}

  static long count(StoreOptions options, String sql) {
    return Long.parseLong(rows(options, sql).get(0).get(0));
  }

  /** Every row as strings, columns in order. */
  static List<List<String>> rows(StoreOptions options, String sql) {
    try (Connection c = DriverManager.getConnection(options.jdbcUrl(), options.driverProperties());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<List<String>> out = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getString(i));
        }
        out.add(row);
      }
      return out;
    } catch (SQLException e) {
      throw new AssertionError(sql + ": " + e.getMessage(), e);
    }
  }

  static void execute(StoreOptions options, String sql) {
    try (Connection c = DriverManager.getConnection(options.jdbcUrl(), options.driverProperties());
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new AssertionError(sql + ": " + e.getMessage(), e);
    }
  }
}

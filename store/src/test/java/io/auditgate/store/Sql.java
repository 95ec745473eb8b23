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

package io.auditgate.testkit;

import io.auditgate.embedded.EmbeddedPostgres;
import io.auditgate.store.StoreOptions;
import io.auditgate.store.StoreSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL (embedded, fsync on) per test JVM, started on first use and stopped and
 * deleted at exit, and a fresh database migrated to the store's schema per test: tests never see
 * each other's rows and pay the server's start once. Plain SQL helpers for assertions.
 *
 * <p>Thread-safe.
 */
public final class TestDatabases {
  private static final AtomicInteger databases = new AtomicInteger();
  private static EmbeddedPostgres shared;

  private TestDatabases() {}

  /** The JVM's server, started on first use. */
  public static synchronized EmbeddedPostgres server() {
    if (shared == null) {
      shared = EmbeddedPostgres.startThrowaway("auditgate-test-pg");
    }
    return shared;
  }

  /** A new database on the shared server with the store's schema applied. */
  public static StoreOptions migrated() {
    EmbeddedPostgres server = server();
    String url = server.createDatabase("t" + databases.incrementAndGet());
    StoreOptions options =
        StoreOptions.of(url, server.user(), server.password())
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(60));
    StoreSchema.migrate(options);
    return options;
  }

  /** Every row of {@code sql}, each column as text ({@code "-"} for null). */
  public static List<List<String>> rows(StoreOptions db, String sql) {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.driverProperties());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<List<String>> out = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          String v = rs.getString(i);
          row.add(v == null ? "-" : v);
        }
        out.add(row);
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** The single value of {@code sql} as text. */
  public static String value(StoreOptions db, String sql) {
    List<List<String>> rows = rows(db, sql);
    if (rows.size() != 1 || rows.get(0).size() != 1) {
      throw new IllegalStateException("expected one value from " + sql + ", got " + rows);
    }
    return rows.get(0).get(0);
  }

  /** Runs {@code sql}. */
  public static void execute(StoreOptions db, String sql) {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.driverProperties());
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }
}

package io.auditgate.fleet;

import io.auditgate.embedded.EmbeddedPostgres;
import io.auditgate.store.StoreOptions;
import io.auditgate.store.StoreSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * One real PostgreSQL for the test JVM and a fresh, migrated database per test (the store module's
 * pattern), plus plain SQL for assertions.
 */
final class FleetTestStore {
  private static final AtomicInteger databases = new AtomicInteger();
  private static EmbeddedPostgres shared;

  private FleetTestStore() {}

  static synchronized EmbeddedPostgres server() {
    if (shared == null) {
      try {
        Path dir = Files.createTempDirectory("auditgate-fleet-test-pg");
        shared = EmbeddedPostgres.start(dir);
        Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  static StoreOptions migratedDatabase() {
    EmbeddedPostgres server = server();
    String url = server.createDatabase("f" + databases.incrementAndGet());
    StoreOptions options =
        StoreOptions.of(url, server.user(), server.password())
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(20));
    StoreSchema.migrate(options);
    return options;
  }

  /** Every row of {@code sql}, each column as text ("-" for null). */
  static List<List<String>> rows(StoreOptions db, String sql) {
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

  static void execute(StoreOptions db, String sql) {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.driverProperties());
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  static String one(StoreOptions db, String sql) {
    List<List<String>> rows = rows(db, sql);
    if (rows.size() != 1 || rows.get(0).size() != 1) {
      throw new AssertionError("expected one value from " + sql + ", got " + rows);
    }
    return rows.get(0).get(0);
  }
}

package io.auditgate.controlplane.inventory;

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
 * pattern), plus plain SQL for set-up and assertions.
 */
public final class InventoryTestStore {
  private static final AtomicInteger databases = new AtomicInteger();
  private static EmbeddedPostgres shared;

  private InventoryTestStore() {}

  static synchronized EmbeddedPostgres server() {
    if (shared == null) {
      try {
        Path dir = Files.createTempDirectory("auditgate-controlplane-test-pg");
        shared = EmbeddedPostgres.start(dir);
        Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  public static StoreOptions migratedDatabase() {
    EmbeddedPostgres server = server();
    String url = server.createDatabase("inv" + databases.incrementAndGet());
    StoreOptions options =
        StoreOptions.of(url, server.user(), server.password())
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(60));
    StoreSchema.migrate(options);
    return options;
  }

  public static void execute(StoreOptions db, String sql) {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.driverProperties());
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every row of {@code sql}, each column as text ("-" for null). */
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
      throw new IllegalStateException(e);
    }
  }

  /** Registers a device the way the fleet registry does (never seen yet). */
  public static void registerDevice(StoreOptions db, String id) {
    execute(db, "INSERT INTO devices (device_id, registered_via) VALUES ('" + id + "', 'api')");
  }
}

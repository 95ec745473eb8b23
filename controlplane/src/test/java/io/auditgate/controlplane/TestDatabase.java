package io.auditgate.controlplane;

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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL for the test JVM and a fresh, migrated database per test (the store's
 * TestStore pattern), plus a one-number query for assertions.
 */
public final class TestDatabase {
  private static final AtomicInteger databases = new AtomicInteger();
  private static EmbeddedPostgres shared;

  private TestDatabase() {}

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

  /** A new database with the store's schema. */
  public static StoreOptions migrated() {
    EmbeddedPostgres server = server();
    String url = server.createDatabase("cp" + databases.incrementAndGet());
    StoreOptions options =
        StoreOptions.of(url, server.user(), server.password())
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(20));
    StoreSchema.migrate(options);
    return options;
  }

  public static long count(StoreOptions db, String sql) {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.driverProperties());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void execute(StoreOptions db, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.driverProperties());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}

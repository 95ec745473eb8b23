package io.auditgate.controlplane;

import io.auditgate.store.StoreOptions;
import io.auditgate.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** A fresh migrated database on the JVM's test PostgreSQL, and a one-number query. */
public final class TestDatabase {
  private TestDatabase() {}

  public static StoreOptions migrated() {
    return TestDatabases.migrated();
  }

  public static long count(StoreOptions db, String sql) {
    return Long.parseLong(TestDatabases.value(db, sql));
  }

  /** Runs {@code sql}, the database's refusal thrown as it is (tests assert on it). */
  public static void execute(StoreOptions db, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.driverProperties());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}

package io.auditgate.fleet;

import io.auditgate.store.StoreOptions;
import io.auditgate.testkit.TestDatabases;
import java.util.List;

/** A fresh migrated database on the JVM's test PostgreSQL, plain SQL for assertions. */
final class FleetTestStore {
  private FleetTestStore() {}

  static StoreOptions migratedDatabase() {
    return TestDatabases.migrated();
  }

  /** Every row of {@code sql}, each column as text ("-" for null). */
  static List<List<String>> rows(StoreOptions db, String sql) {
    return TestDatabases.rows(db, sql);
  }

  static void execute(StoreOptions db, String sql) {
    TestDatabases.execute(db, sql);
  }

  static String one(StoreOptions db, String sql) {
    return TestDatabases.value(db, sql);
  }
}

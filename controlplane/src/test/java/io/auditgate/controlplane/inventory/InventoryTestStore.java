package io.auditgate.controlplane.inventory;

import io.auditgate.store.StoreOptions;
import io.auditgate.testkit.TestDatabases;
import java.util.List;

/** A fresh migrated database on the JVM's test PostgreSQL, plain SQL for set-up and assertions. */
public final class InventoryTestStore {
  private InventoryTestStore() {}

  public static StoreOptions migratedDatabase() {
    return TestDatabases.migrated();
  }

  public static void execute(StoreOptions db, String sql) {
    TestDatabases.execute(db, sql);
  }

  /** Every row of {@code sql}, each column as text ("-" for null). */
  public static List<List<String>> rows(StoreOptions db, String sql) {
    return TestDatabases.rows(db, sql);
  }

  /** Registers a device the way the fleet registry does (never seen yet). */
  public static void registerDevice(StoreOptions db, String id) {
    execute(db, "INSERT INTO devices (device_id, registered_via) VALUES ('" + id + "', 'api')");
  }
}

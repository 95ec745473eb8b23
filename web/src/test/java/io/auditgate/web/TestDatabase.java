package io.auditgate.web;

import io.auditgate.store.StoreOptions;
import io.auditgate.testkit.TestDatabases;

/** A fresh database with the store's schema (api_tokens included) on the JVM's test PostgreSQL. */
public final class TestDatabase {
  private TestDatabase() {}

  public static StoreOptions migrated() {
    return TestDatabases.migrated();
  }
}

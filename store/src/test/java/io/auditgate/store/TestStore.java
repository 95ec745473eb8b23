package io.auditgate.store;

import io.auditgate.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL for the whole test JVM (starting one costs ~2 s), and a fresh database per
 * test so that tests never see each other's rows. Tests that stop the server start their own.
 */
final class TestStore {
  private static final AtomicInteger databases = new AtomicInteger();
  private static EmbeddedPostgres shared;

  private TestStore() {}

  static synchronized EmbeddedPostgres server() {
    if (shared == null) {
      shared = EmbeddedPostgres.startThrowaway("auditgate-store-test-pg");
    }
    return shared;
  }

  /** A new, empty database on the shared server (no schema yet). */
  static StoreOptions freshDatabase() {
    return database(server(), "t" + databases.incrementAndGet());
  }

  /** A new empty database on the shared server with the plain PostgreSQL schema applied. */
  static StoreOptions migratedDatabase() {
    StoreOptions options = freshDatabase();
    StoreSchema.migrate(options);
    return options;
  }

  static StoreOptions database(EmbeddedPostgres server, String name) {
    String url = server.createDatabase(name);
    return StoreOptions.of(url, server.user(), server.password())
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(20));
  }
}

package io.auditgate.controlplane.revocation;

import io.auditgate.embedded.EmbeddedPostgres;
import io.auditgate.store.StoreOptions;
import io.auditgate.store.StoreSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** One real PostgreSQL per test JVM, a fresh migrated database per test (store's TestStore). */
final class TestDatabase {
  private static final AtomicInteger databases = new AtomicInteger();
  private static EmbeddedPostgres shared;

  private TestDatabase() {}

  static synchronized StoreOptions migrated() {
    if (shared == null) {
      try {
        shared = EmbeddedPostgres.start(Files.createTempDirectory("auditgate-cp-revocation-pg"));
        Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String url = shared.createDatabase("r" + databases.incrementAndGet());
    StoreOptions options =
        StoreOptions.of(url, shared.user(), shared.password())
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(20));
    StoreSchema.migrate(options);
    return options;
  }
}

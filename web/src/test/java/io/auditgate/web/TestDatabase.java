package io.auditgate.web;

import io.auditgate.embedded.EmbeddedPostgres;
import io.auditgate.store.StoreOptions;
import io.auditgate.store.StoreSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL for the test JVM and a fresh, migrated database per test (the store module's
 * pattern), so tests never see each other's rows.
 */
public final class TestDatabase {
  private static final AtomicInteger databases = new AtomicInteger();
  private static EmbeddedPostgres shared;

  private TestDatabase() {}

  static synchronized EmbeddedPostgres server() {
    if (shared == null) {
      try {
        Path dir = Files.createTempDirectory("auditgate-web-test-pg");
        shared = EmbeddedPostgres.start(dir);
        Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  /** A new database with the store's schema (api_tokens included). */
  public static StoreOptions migrated() {
    EmbeddedPostgres server = server();
    String url = server.createDatabase("w" + databases.incrementAndGet());
    StoreOptions options =
        StoreOptions.of(url, server.user(), server.password())
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(20));
    StoreSchema.migrate(options);
    return options;
  }
}

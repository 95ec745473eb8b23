package io.auditgate.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.app.config.ConfigLoader;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configured (not embedded) database needs no password, nor a user outside its URL: a server that
 * trusts the connection or checks a client certificate takes none. Starting used to fail with a
 * bare {@code NullPointerException: password}.
 */
class StoreRuntimeTest {
  @TempDir static Path dir;
  private static EmbeddedPostgres postgres; // trusts loopback connections

  @BeforeAll
  static void startPostgres() {
    postgres = EmbeddedPostgres.start(dir.resolve("postgres"));
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  @Test
  void opensAConfiguredStoreWithAUserAndNoPassword() throws Exception {
    String url = postgres.createDatabase("no_password");
    AuditgateConfig config = load("store:\n  jdbc_url: " + url + "\n  user: postgres\n");

    try (StoreRuntime store = StoreRuntime.open(config, Clock.systemUTC())) {
      assertThat(store.schema().version()).isNotBlank();
      assertThat(store.options().password()).isEmpty();
    }
  }

  @Test
  void opensAConfiguredStoreWithTheUserInItsUrl() throws Exception {
    String url = postgres.createDatabase("user_in_url") + "?user=postgres";
    AuditgateConfig config = load("store:\n  jdbc_url: " + url + "\n");

    try (StoreRuntime store = StoreRuntime.open(config, Clock.systemUTC())) {
      assertThat(store.schema().version()).isNotBlank();
    }
  }

  private static AuditgateConfig load(String yaml) throws Exception {
    Path file = Files.createTempFile(dir, "store", ".yaml");
    Files.writeString(file, yaml);
    return new ConfigLoader().load(Optional.of(file), Map.of(), List.of());
  }
}

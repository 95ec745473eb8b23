package io.auditgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The driver takes credentials from the URL too: whatever shows the URL must not show them. */
class JdbcUrlsTest {
  private static final String URL =
      "jdbc:postgresql://127.0.0.1:1/store?user=audit&password=s3cret&ssl=true"
          + "&sslpassword=k3y&ApplicationName=x";

  @Test
  void masksPasswordAndSslPasswordValuesOnly() {
    assertThat(JdbcUrls.redact(URL))
        .isEqualTo(
            "jdbc:postgresql://127.0.0.1:1/store?user=audit&password=***&ssl=true"
                + "&sslpassword=***&ApplicationName=x");
    assertThat(JdbcUrls.redact("jdbc:postgresql://h/db?PASSWORD=a%26b"))
        .isEqualTo("jdbc:postgresql://h/db?PASSWORD=***");
    assertThat(JdbcUrls.redact("jdbc:postgresql://h/db?password="))
        .isEqualTo("jdbc:postgresql://h/db?password=***");
    assertThat(JdbcUrls.redact("jdbc:postgresql://h/db?mypassword=x&passwordless=y"))
        .isEqualTo("jdbc:postgresql://h/db?mypassword=x&passwordless=y");
    assertThat(JdbcUrls.redact("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
  }

  @Test
  void storeOptionsShowTheRedactedUrl() {
    StoreOptions options = StoreOptions.of(URL, "audit", "also-secret");

    assertThat(options.redactedUrl()).isEqualTo(JdbcUrls.redact(URL));
    assertThat(options.toString())
        .contains("password=***", "sslpassword=***")
        .doesNotContain("s3cret", "k3y", "also-secret");
    assertThatThrownBy(() -> StoreOptions.of("jdbc:mysql://h/db?password=s3cret", "u", ""))
        .hasMessageContaining("password=***")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void schemaFailuresShowTheRedactedUrl() {
    StoreOptions unreachable =
        StoreOptions.of(URL.replace("ssl=true", "ssl=false"), "audit", "")
            .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));

    assertThatThrownBy(() -> StoreSchema.detectFlavor(unreachable))
        .isInstanceOf(UnableToMigrateSchemaException.class)
        .hasMessageContaining("password=***")
        .hasMessageNotContaining("s3cret")
        .hasMessageNotContaining("k3y");
    assertThatThrownBy(() -> StoreSchema.migrate(unreachable, StoreSchema.Flavor.TIMESCALEDB))
        .isInstanceOf(UnableToMigrateSchemaException.class)
        .hasMessageContaining("password=***")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> StoreSchema.migrate(unreachable, StoreSchema.Flavor.POSTGRES))
        .isInstanceOf(UnableToMigrateSchemaException.class)
        .hasMessageContaining("password=***")
        .hasMessageNotContaining("s3cret");
  }
}

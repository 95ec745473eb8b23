package io.auditgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpIngestConfigTest {
  @Test
  void everyFieldHasADefault() {
    HttpIngestConfig config = HttpIngestConfig.defaults();

    assertThat(config.bindHost()).isEqualTo("0.0.0.0");
    assertThat(config.port()).isEqualTo(8443);
    assertThat(config.maxBodySize()).isEqualTo(DataSize.ofKibibytes(64));
    assertThat(config.maxBatchItems()).isEqualTo(100);
    assertThat(config.maxConnections()).isEqualTo(4096);
    assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.plaintextAllowed()).as("TLS unless asked otherwise").isFalse();
    assertThat(config.deviceRequestsPerSecond()).as("no rate limit by default").isZero();
  }

  @Test
  void givenValuesAreKept() {
    HttpIngestConfig config =
        new HttpIngestConfig(
            "127.0.0.1", 0, DataSize.ofBytes(1), 1, 1, Duration.ofSeconds(1), true, 50);

    assertThat(config)
        .isEqualTo(
            new HttpIngestConfig(
                "127.0.0.1", 0, DataSize.ofBytes(1), 1, 1, Duration.ofSeconds(1), true, 50));
    assertThat(config.withBind("::1", 9443).bindHost()).isEqualTo("::1");
    assertThat(config.withBind("::1", 9443).port()).isEqualTo(9443);
    assertThat(config.withBind("::1", 9443).plaintextAllowed()).isTrue();
  }

  @Test
  void valuesThatCannotWorkAreRefusedNamingTheKey() {
    assertThat(key(() -> new HttpIngestConfig(" ", null, null, null, null, null, null, null)))
        .isEqualTo("bind_host");
    assertThat(key(() -> new HttpIngestConfig(null, 65_536, null, null, null, null, null, null)))
        .isEqualTo("port");
    assertThat(key(() -> new HttpIngestConfig(null, -1, null, null, null, null, null, null)))
        .isEqualTo("port");
    assertThat(
            key(
                () ->
                    new HttpIngestConfig(
                        null, null, DataSize.ofBytes(0), null, null, null, null, null)))
        .isEqualTo("max_body_size");
    assertThat(
            key(
                () ->
                    new HttpIngestConfig(
                        null, null, DataSize.ofMebibytes(17), null, null, null, null, null)))
        .isEqualTo("max_body_size");
    assertThat(key(() -> new HttpIngestConfig(null, null, null, 0, null, null, null, null)))
        .isEqualTo("max_batch_items");
    assertThat(key(() -> new HttpIngestConfig(null, null, null, null, 0, null, null, null)))
        .isEqualTo("max_connections");
    assertThat(
            key(
                () ->
                    new HttpIngestConfig(
                        null, null, null, null, null, Duration.ofMillis(999), null, null)))
        .isEqualTo("idle_timeout");
    assertThat(key(() -> new HttpIngestConfig(null, null, null, null, null, null, null, -1)))
        .isEqualTo("device_requests_per_second");
  }

  @Test
  void messagesSayWhatWasGiven() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> new HttpIngestConfig(null, null, null, 20_000, null, null, null, null));

    assertThat(e).hasMessage("max_batch_items: must be between 1 and 10000, got 20000");
  }

  private static String key(Runnable construct) {
    return catchThrowableOfType(ConfigException.class, construct::run).key();
  }
}

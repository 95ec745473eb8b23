package io.auditgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IngestConfigTest {

  @Test
  void everyFieldHasADefault() {
    IngestConfig config = IngestConfig.defaults();

    assertThat(config.maxBodySize()).isEqualTo(DataSize.ofKibibytes(64));
    assertThat(config.maxJsonDepth()).isEqualTo(32);
    assertThat(config.retryAfterFull()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.retryAfterFailure()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.seqWindow()).isEqualTo(1024);
    assertThat(config.maxTrackedDevices()).isEqualTo(100_000);
  }

  @Test
  void givenValuesAreKept() {
    IngestConfig config =
        new IngestConfig(
            DataSize.ofKibibytes(8), 8, Duration.ofSeconds(2), Duration.ofSeconds(30), 64, 10);

    assertThat(config.maxBodySize()).isEqualTo(DataSize.ofKibibytes(8));
    assertThat(config.maxJsonDepth()).isEqualTo(8);
    assertThat(config.retryAfterFull()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.retryAfterFailure()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.seqWindow()).isEqualTo(64);
    assertThat(config.maxTrackedDevices()).isEqualTo(10);
  }

  @Test
  void theBodyLimitMayOnlyLowerTheDeviceContract() {
    assertThatThrownBy(
            () -> new IngestConfig(DataSize.ofKibibytes(65), null, null, null, null, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("max_body_size: must be between");
  }

  @Test
  void theWindowMustBeAPowerOfTwo() {
    assertThatThrownBy(() -> new IngestConfig(null, null, null, null, 1000, null))
        .isInstanceOf(ConfigException.class)
        .hasMessage("seq_window: must be a power of two, got 1000");
  }

  @Test
  void badValuesNameTheirKey() {
    assertThat(keyOf(() -> new IngestConfig(null, 3, null, null, null, null)))
        .isEqualTo("max_json_depth");
    assertThat(keyOf(() -> new IngestConfig(null, null, Duration.ZERO, null, null, null)))
        .isEqualTo("retry_after_full");
    assertThat(keyOf(() -> new IngestConfig(null, null, null, Duration.ofHours(2), null, null)))
        .isEqualTo("retry_after_failure");
    assertThat(keyOf(() -> new IngestConfig(null, null, null, null, null, 0)))
        .isEqualTo("max_tracked_devices");
  }

  private static String keyOf(Runnable construct) {
    try {
      construct.run();
    } catch (ConfigException e) {
      return e.key();
    }
    throw new AssertionError("expected a ConfigException");
  }
}

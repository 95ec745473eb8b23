package io.auditgate.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.ConfigException;
import io.auditgate.core.config.DataSize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code tracing} and {@code health} sections: defaults, YAML, environment, and bad values. */
class ObservabilityConfigTest {
  private final ConfigLoader loader = new ConfigLoader();
  @TempDir Path dir;

  @Test
  void tracingIsOffAndHealthHasItsDefaultsUnlessConfigured() {
    AuditgateConfig config = loader.load(Optional.empty(), Map.of(), List.of());
    assertThat(config.tracing().enabled()).isFalse();
    assertThat(config.tracing().sampleRatio()).isEqualTo(1.0);
    assertThat(config.tracing().serviceName()).isEqualTo("auditgate");
    assertThat(config.health().minFreeDisk()).isEqualTo(DataSize.ofMebibytes(512));
    assertThat(config.health().minFreeDiskPercent()).isEqualTo(5);
    assertThat(config.health().sinkInterruptedAfter()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void bothSectionsLoadFromYamlAndTheEnvironmentAndPrintBack() throws Exception {
    Path file = dir.resolve("auditgate.yaml");
    Files.writeString(
        file,
        """
        tracing:
          otlp_endpoint: http://collector:4318/v1/traces
          sample_ratio: 0.25
        health:
          min_free_disk: 2GiB
          sink_interrupted_after: 5m
        """);
    AuditgateConfig config =
        loader.load(
            Optional.of(file),
            Map.of("AUDITGATE_TRACING__SERVICE_NAME", "gw-edge-7"),
            List.of("health.min_free_disk_percent=10"));
    assertThat(config.tracing().otlpEndpoint()).contains("http://collector:4318/v1/traces");
    assertThat(config.tracing().sampleRatio()).isEqualTo(0.25);
    assertThat(config.tracing().serviceName()).isEqualTo("gw-edge-7");
    assertThat(config.health().minFreeDisk()).isEqualTo(DataSize.ofGibibytes(2));
    assertThat(config.health().minFreeDiskPercent()).isEqualTo(10);
    assertThat(config.health().sinkInterruptedAfter()).isEqualTo(Duration.ofMinutes(5));
    assertThat(loader.toYaml(config))
        .contains("otlp_endpoint: http://collector:4318/v1/traces", "sink_interrupted_after: 5m");
  }

  @Test
  void badValuesNameTheirKey() {
    assertThat(fails("tracing.otlp_endpoint=collector:4318").key())
        .isEqualTo("tracing.otlp_endpoint");
    assertThat(fails("tracing.sample_ratio=1.5").key()).isEqualTo("tracing.sample_ratio");
    assertThat(fails("health.min_free_disk_percent=101").key())
        .isEqualTo("health.min_free_disk_percent");
  }

  private ConfigException fails(String set) {
    return catchThrowableOfType(
        ConfigException.class, () -> loader.load(Optional.empty(), Map.of(), List.of(set)));
  }
}

package io.auditgate.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code certificate_alerts} section: defaults, overrides, validation naming the key. */
class CertificateAlertsConfigTest {
  @TempDir Path dir;
  private final ConfigLoader loader = new ConfigLoader();

  @Test
  void defaultsEvaluateEveryMinuteAndSendNowhere() {
    AuditgateConfig config = loader.load(Optional.empty(), Map.of(), List.of());

    assertThat(config.certificateAlerts().evaluateInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.certificateAlerts().webhook().optionalUrl()).isEmpty();
    assertThat(config.certificateAlerts().webhook().allowPlaintext()).isFalse();
    assertThat(config.certificateAlerts().webhook().timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.certificateAlerts().webhook().maxAttempts()).isEqualTo(10);
    assertThat(loader.toYaml(config))
        .contains("certificate_alerts:")
        .contains("evaluate_interval: 1m")
        .contains("max_attempts: 10");
  }

  @Test
  void theFileTheEnvironmentAndFlagsSetIt() throws Exception {
    Path file = dir.resolve("auditgate.yaml");
    Files.writeString(
        file,
        """
        certificate_alerts:
          evaluate_interval: 30s
          webhook:
            url: https://alerts.example:8443/hooks/auditgate
            secret_file: /etc/auditgate/webhook.secret
            trust_file: /etc/auditgate/alerts-ca.pem
        """);
    AuditgateConfig config =
        loader.load(
            Optional.of(file),
            Map.of("AUDITGATE_CERTIFICATE_ALERTS__WEBHOOK__TIMEOUT", "3s"),
            List.of("certificate_alerts.webhook.max_attempts=4"));

    var webhook = config.certificateAlerts().webhook();
    assertThat(config.certificateAlerts().evaluateInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(webhook.url()).isEqualTo("https://alerts.example:8443/hooks/auditgate");
    assertThat(webhook.secretFile()).isEqualTo(Path.of("/etc/auditgate/webhook.secret"));
    assertThat(webhook.optionalTrustFile()).contains(Path.of("/etc/auditgate/alerts-ca.pem"));
    assertThat(webhook.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(webhook.maxAttempts()).isEqualTo(4);
    assertThat(loader.toYaml(config))
        .as("only the secret's file is configured; the printer redacts even its path")
        .contains("secret_file: <redacted>")
        .contains("url: https://alerts.example:8443/hooks/auditgate");
  }

  @Test
  void badValuesNameTheirKey() {
    assertThat(failure("certificate_alerts.evaluate_interval=100ms").getMessage())
        .startsWith("certificate_alerts.evaluate_interval");
    assertThat(
            failure(
                    "certificate_alerts.webhook.url=http://alerts.example/hook",
                    "certificate_alerts.webhook.secret_file=/s")
                .getMessage())
        .startsWith("certificate_alerts.webhook.url: must be https");
    assertThat(failure("certificate_alerts.webhook.url=https://alerts.example/hook").getMessage())
        .startsWith("certificate_alerts.webhook.secret_file: is required");
    assertThat(failure("certificate_alerts.webhook.max_attempts=0").getMessage())
        .startsWith("certificate_alerts.webhook.max_attempts");
    assertThat(failure("certificate_alerts.webhook.timeout=10min").getMessage())
        .startsWith("certificate_alerts.webhook.timeout");
    assertThat(failure("certificate_alerts.webhook.token=x").getMessage())
        .startsWith("certificate_alerts.webhook.token: unknown key");
  }

  @Test
  void plainHttpNeedsTheExplicitOptIn() {
    AuditgateConfig config =
        loader.load(
            Optional.empty(),
            Map.of(),
            List.of(
                "certificate_alerts.webhook.url=http://alerts.internal/hook",
                "certificate_alerts.webhook.secret_file=/s",
                "certificate_alerts.webhook.allow_plaintext=true"));
    assertThat(config.certificateAlerts().webhook().allowPlaintext()).isTrue();
  }

  private ConfigException failure(String... set) {
    return catchThrowableOfType(
        ConfigException.class, () -> loader.load(Optional.empty(), Map.of(), List.of(set)));
  }
}

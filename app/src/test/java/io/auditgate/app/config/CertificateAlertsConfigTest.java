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

/** The {@code certificates.alerts} section: defaults, overrides, validation naming the key. */
class CertificateAlertsConfigTest {
  @TempDir Path dir;
  private final ConfigLoader loader = new ConfigLoader();

  @Test
  void defaultsEvaluateEveryMinuteAndSendNowhere() {
    AuditgateConfig config = loader.load(Optional.empty(), Map.of(), List.of());

    assertThat(config.certificates().alerts().evaluateInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.certificates().alerts().webhook().optionalUrl()).isEmpty();
    assertThat(config.certificates().alerts().webhook().allowPlaintext()).isFalse();
    assertThat(config.certificates().alerts().webhook().timeout())
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(config.certificates().alerts().webhook().maxAttempts()).isEqualTo(10);
    assertThat(loader.toYaml(config))
        .contains("certificates:\n")
        .contains("\n  alerts:\n    evaluate_interval: 1m\n")
        .contains("max_attempts: 10");
  }

  @Test
  void theFileTheEnvironmentAndFlagsSetIt() throws Exception {
    Path file = dir.resolve("auditgate.yaml");
    Files.writeString(
        file,
        """
        certificates:
          alerts:
            evaluate_interval: 30s
            webhook:
              url: https://alerts.example:8443/hooks/auditgate
              secret_file: /etc/auditgate/webhook.secret
              trust_file: /etc/auditgate/alerts-ca.pem
        """);
    AuditgateConfig config =
        loader.load(
            Optional.of(file),
            Map.of("AUDITGATE_CERTIFICATES__ALERTS__WEBHOOK__TIMEOUT", "3s"),
            List.of("certificates.alerts.webhook.max_attempts=4"));

    var webhook = config.certificates().alerts().webhook();
    assertThat(config.certificates().alerts().evaluateInterval()).isEqualTo(Duration.ofSeconds(30));
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
    assertThat(failure("certificates.alerts.evaluate_interval=100ms").getMessage())
        .startsWith("certificates.alerts.evaluate_interval");
    assertThat(
            failure(
                    "certificates.alerts.webhook.url=http://alerts.example/hook",
                    "certificates.alerts.webhook.secret_file=/s")
                .getMessage())
        .startsWith("certificates.alerts.webhook.url: must be https");
    assertThat(failure("certificates.alerts.webhook.url=https://alerts.example/hook").getMessage())
        .startsWith("certificates.alerts.webhook.secret_file: is required");
    assertThat(failure("certificates.alerts.webhook.max_attempts=0").getMessage())
        .startsWith("certificates.alerts.webhook.max_attempts");
    assertThat(failure("certificates.alerts.webhook.timeout=10min").getMessage())
        .startsWith("certificates.alerts.webhook.timeout");
    assertThat(failure("certificates.alerts.webhook.token=x").getMessage())
        .startsWith("certificates.alerts.webhook.token: unknown key");
  }

  @Test
  void plainHttpNeedsTheExplicitOptIn() {
    AuditgateConfig config =
        loader.load(
            Optional.empty(),
            Map.of(),
            List.of(
                "certificates.alerts.webhook.url=http://alerts.internal/hook",
                "certificates.alerts.webhook.secret_file=/s",
                "certificates.alerts.webhook.allow_plaintext=true"));
    assertThat(config.certificates().alerts().webhook().allowPlaintext()).isTrue();
  }

  private ConfigException failure(String... set) {
    return catchThrowableOfType(
        ConfigException.class, () -> loader.load(Optional.empty(), Map.of(), List.of(set)));
  }
}

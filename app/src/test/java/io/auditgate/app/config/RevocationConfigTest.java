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

/**
 * The {@code certificates.revocation} section: defaults, overrides, bounds, and how {@code config}
 * prints it.
 */
class RevocationConfigTest {
  @TempDir Path dir;
  private final ConfigLoader loader = new ConfigLoader();

  @Test
  void defaultsDropWithinThirtySecondsAndPublishDailyCrls() {
    AuditgateConfig config = loader.load(Optional.empty(), Map.of(), List.of());

    assertThat(config.certificates().revocation().optionalCrlUrl()).isEmpty();
    assertThat(config.certificates().revocation().dropSessionsWithin())
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(config.certificates().revocation().checkEvery()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.certificates().revocation().crlValidity()).isEqualTo(Duration.ofHours(24));
    assertThat(config.certificates().revocation().ocspValidity()).isEqualTo(Duration.ofHours(1));
    assertThat(loader.toYaml(config))
        .contains("\n  revocation:\n")
        .contains("drop_sessions_within: 30s")
        .contains("crl_validity: 1d");
  }

  @Test
  void theFileTheEnvironmentAndFlagsSetIt() throws Exception {
    Path file = dir.resolve("auditgate.yaml");
    Files.writeString(
        file,
        """
        certificates:
          revocation:
            crl_url: https://control-plane:9443/crl/issuing-ca.crl
            drop_sessions_within: 10s
        """);
    AuditgateConfig config =
        loader.load(
            Optional.of(file),
            Map.of("AUDITGATE_CERTIFICATES__REVOCATION__CRL_VALIDITY", "6h"),
            List.of("certificates.revocation.ocsp_validity=5m"));

    assertThat(config.certificates().revocation().crlUrl())
        .isEqualTo("https://control-plane:9443/crl/issuing-ca.crl");
    assertThat(config.certificates().revocation().dropSessionsWithin())
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(config.certificates().revocation().crlValidity()).isEqualTo(Duration.ofHours(6));
    assertThat(config.certificates().revocation().ocspValidity()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void outOfBoundsValuesNameTheirKey() {
    assertThat(failure("certificates.revocation.drop_sessions_within=90s").getMessage())
        .startsWith("certificates.revocation.drop_sessions_within: must be between");
    assertThat(failure("certificates.revocation.drop_sessions_within=1s").getMessage())
        .startsWith("certificates.revocation.drop_sessions_within");
    assertThat(failure("certificates.revocation.crl_url=ftp://host/crl").getMessage())
        .startsWith("certificates.revocation.crl_url: must be an http or https URL");
    assertThat(failure("certificates.revocation.crl_validity=30s").getMessage())
        .startsWith("certificates.revocation.crl_validity");
  }

  private ConfigException failure(String set) {
    return catchThrowableOfType(
        ConfigException.class, () -> loader.load(Optional.empty(), Map.of(), List.of(set)));
  }
}

package io.auditgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnrolmentConfigTest {
  @Test
  void offByDefaultWithAYearlyLifetimeAndEveryKeyTypeAllowed() {
    EnrolmentConfig config = EnrolmentConfig.defaults();

    assertThat(config.enabled()).isFalse();
    assertThat(config.caDir()).isEqualTo(Path.of("data", "ca"));
    assertThat(config.caPassphraseFile()).isNull();
    assertThat(config.deviceCertificateLifetime()).isEqualTo(Duration.ofDays(365));
    assertThat(config.allowedKeys()).containsExactly("ec-p256", "ec-p384", "rsa");
    assertThat(config.minimumRsaBits()).isEqualTo(2048);
    assertThat(AuditgateConfig.defaults().certificates().enrolment()).isEqualTo(config);
  }

  @Test
  void unusableValuesNameTheirKey() {
    assertThat(key(() -> new EnrolmentConfig(null, null, null, Duration.ofMinutes(5), null, null)))
        .isEqualTo("device_certificate_lifetime");
    assertThat(key(() -> new EnrolmentConfig(null, null, null, null, List.of("dsa"), null)))
        .isEqualTo("allowed_keys");
    assertThat(key(() -> new EnrolmentConfig(null, null, null, null, List.of(), null)))
        .isEqualTo("allowed_keys");
    assertThat(key(() -> new EnrolmentConfig(null, null, null, null, null, 1024)))
        .isEqualTo("minimum_rsa_bits");
  }

  private static String key(Runnable build) {
    return catchThrowableOfType(build::run, ConfigException.class).key();
  }
}

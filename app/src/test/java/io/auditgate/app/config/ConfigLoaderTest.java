package io.auditgate.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.CertificateAlertsConfig;
import io.auditgate.core.config.CertificateInventoryConfig;
import io.auditgate.core.config.CertificateRenewalConfig;
import io.auditgate.core.config.CertificatesConfig;
import io.auditgate.core.config.ConfigException;
import io.auditgate.core.config.DataSize;
import io.auditgate.core.config.EnrolmentConfig;
import io.auditgate.core.config.RevocationConfig;
import io.auditgate.core.config.WalConfig.OverflowPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;
  private final ConfigLoader loader = new ConfigLoader();

  private Path yaml(String text) throws Exception {
    Path file = dir.resolve("auditgate.yaml");
    Files.writeString(file, text);
    return file;
  }

  private ConfigException failure(String yamlText, Map<String, String> env, List<String> sets)
      throws Exception {
    Optional<Path> file = yamlText == null ? Optional.empty() : Optional.of(yaml(yamlText));
    return (ConfigException)
        org.assertj.core.api.Assertions.catchThrowable(() -> loader.load(file, env, sets));
  }

  @Test
  void noFileGivesTheDefaults() {
    AuditgateConfig config = loader.load(Optional.empty(), Map.of(), List.of());
    assertThat(config).isEqualTo(AuditgateConfig.defaults());
    assertThat(config.wal().segmentSize()).isEqualTo(DataSize.ofMebibytes(64));
    assertThat(config.wal().overflowPolicy()).isEqualTo(OverflowPolicy.REFUSE);
  }

  @Test
  void fileThenEnvironmentThenFlagsInThatOrder() throws Exception {
    Path file =
        yaml(
            """
            gateway:
              id: pi5-gateway-01
              data_dir: /var/lib/auditgate
            wal:
              segment_size: 16MiB
              linger: 2ms
              max_age: 3d
              overflow_policy: drop_oldest
            """);
    AuditgateConfig fromFile = loader.load(Optional.of(file), Map.of(), List.of());
    assertThat(fromFile.gateway().id()).isEqualTo("pi5-gateway-01");
    assertThat(fromFile.gateway().dataDir()).isEqualTo(Path.of("/var/lib/auditgate"));
    assertThat(fromFile.wal().segmentSize()).isEqualTo(DataSize.ofMebibytes(16));
    assertThat(fromFile.wal().linger()).isEqualTo(Duration.ofMillis(2));
    assertThat(fromFile.wal().maxAge()).isEqualTo(Duration.ofDays(3));
    assertThat(fromFile.wal().overflowPolicy()).isEqualTo(OverflowPolicy.DROP_OLDEST);
    assertThat(fromFile.wal().maxBatchSize()).isEqualTo(DataSize.ofMebibytes(4)); // default kept

    Map<String, String> env =
        Map.of(
            "AUDITGATE_WAL__SEGMENT_SIZE",
            "32MiB",
            "AUDITGATE_GATEWAY__ID",
            "from-env",
            "PATH",
            "/bin");
    AuditgateConfig withEnv = loader.load(Optional.of(file), env, List.of());
    assertThat(withEnv.wal().segmentSize()).isEqualTo(DataSize.ofMebibytes(32));
    assertThat(withEnv.gateway().id()).isEqualTo("from-env");

    AuditgateConfig withFlags =
        loader.load(Optional.of(file), env, List.of("wal.segment_size=8MiB"));
    assertThat(withFlags.wal().segmentSize()).isEqualTo(DataSize.ofMebibytes(8));
    assertThat(withFlags.gateway().id()).isEqualTo("from-env");
  }

  @Test
  void invalidValuesNameTheKey() throws Exception {
    assertThat(failure("wal:\n  segment_size: 1KiB\n", Map.of(), List.of()).getMessage())
        .startsWith("wal.segment_size: must be between 4KiB and 1GiB");
    assertThat(failure(null, Map.of("AUDITGATE_WAL__LINGER", "soon"), List.of()).getMessage())
        .startsWith("wal.linger:")
        .contains("not a duration");
    assertThat(failure(null, Map.of(), List.of("gateway.id=has space")).getMessage())
        .startsWith("gateway.id: must match");
    assertThat(failure("wal:\n  overflow_policy: shrug\n", Map.of(), List.of()).getMessage())
        .startsWith("wal.overflow_policy:");
    assertThat(failure("wal:\n  linger: 5\n", Map.of(), List.of()).getMessage())
        .startsWith("wal.linger: 5 has no unit");
  }

  @Test
  void theWebSectionHasSafeDefaultsAndSnakeCaseKeys() throws Exception {
    AuditgateConfig defaults = loader.load(Optional.empty(), Map.of(), List.of());
    assertThat(defaults.web().enabled()).isTrue();
    assertThat(defaults.web().bindHost()).isEqualTo("127.0.0.1");
    assertThat(defaults.web().port()).isEqualTo(9443);
    assertThat(defaults.web().allowPlaintext()).isFalse();

    Path file =
        yaml(
            """
            web:
              bind_host: 0.0.0.0
              port: 10443
              allow_plaintext: true
              max_body_size: 2MiB
              max_connections: 64
            """);
    AuditgateConfig config =
        loader.load(Optional.of(file), Map.of("AUDITGATE_WEB__WORKER_THREADS", "8"), List.of());
    assertThat(config.web().bindHost()).isEqualTo("0.0.0.0");
    assertThat(config.web().port()).isEqualTo(10443);
    assertThat(config.web().allowPlaintext()).isTrue();
    assertThat(config.web().maxBodySize()).isEqualTo(DataSize.ofMebibytes(2));
    assertThat(config.web().maxConnections()).isEqualTo(64);
    assertThat(config.web().workerThreads()).isEqualTo(8);
    assertThat(loader.toYaml(config)).contains("allow_plaintext: true").contains("port: 10443");
    assertThat(failure("web:\n  port: 70000\n", Map.of(), List.of()).getMessage())
        .startsWith("web.port: must be between 0 and 65535");
  }

  @Test
  void theCertificateInventorySectionHasDefaultsAndIsValidated() throws Exception {
    AuditgateConfig defaults = loader.load(Optional.empty(), Map.of(), List.of());
    assertThat(defaults.certificates().inventory().expiryWindowDays()).containsExactly(30, 60, 90);
    assertThat(defaults.certificates().inventory().maxAge())
        .isEqualTo(java.time.Duration.ofDays(825));
    assertThat(defaults.certificates().inventory().scanEndpoints()).isEmpty();

    Path file =
        yaml(
            """
            certificates:
              inventory:
                expiry_window_days: [7, 14, 45]
                max_age: 400d
                scan_endpoints: ["broker.example:8883", "[::1]:9093"]
                scan_interval: 15m
            """);
    AuditgateConfig config = loader.load(Optional.of(file), Map.of(), List.of());
    assertThat(config.certificates().inventory().expiryWindowDays()).containsExactly(7, 14, 45);
    assertThat(config.certificates().inventory().maxAge())
        .isEqualTo(java.time.Duration.ofDays(400));
    assertThat(config.certificates().inventory().scanEndpoints())
        .containsExactly("broker.example:8883", "[::1]:9093");
    assertThat(config.certificates().inventory().scanInterval())
        .isEqualTo(java.time.Duration.ofMinutes(15));
    assertThat(loader.toYaml(config)).contains("\n  inventory:\n").contains("max_age: 400d");
    assertThat(
            failure(
                    "certificates:\n  inventory:\n    expiry_window_days: [90, 30]\n",
                    Map.of(),
                    List.of())
                .getMessage())
        .startsWith("certificates.inventory.expiry_window_days: must be ascending");
    assertThat(
            failure(
                    "certificates:\n  inventory:\n    scan_endpoints: [nohost]\n",
                    Map.of(),
                    List.of())
                .getMessage())
        .startsWith("certificates.inventory.scan_endpoints:");
  }

  @Test
  void theCertificateRenewalSectionHasDefaultsAndIsValidated() throws Exception {
    AuditgateConfig defaults = loader.load(Optional.empty(), Map.of(), List.of());
    assertThat(defaults.certificates().renewal().enabled()).isFalse();
    assertThat(defaults.certificates().renewal().atFraction()).isEqualTo(0.667);
    assertThat(defaults.certificates().renewal().jitter()).isEqualTo(0.10);
    assertThat(defaults.certificates().renewal().confirmWithin())
        .isEqualTo(java.time.Duration.ofHours(1));

    Path file =
        yaml(
            """
            certificates:
              renewal:
                enabled: true
                at_fraction: 0.75
                jitter: 0.05
                jitter_cap: 2d
                check_interval: 30s
                confirm_within: 2h
            """);
    AuditgateConfig config = loader.load(Optional.of(file), Map.of(), List.of());
    assertThat(config.certificates().renewal().enabled()).isTrue();
    assertThat(config.certificates().renewal().atFraction()).isEqualTo(0.75);
    assertThat(config.certificates().renewal().jitterCap()).isEqualTo(java.time.Duration.ofDays(2));
    assertThat(config.certificates().renewal().checkInterval())
        .isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(config.certificates().renewal().confirmWithin())
        .isEqualTo(java.time.Duration.ofHours(2));
    assertThat(loader.toYaml(config)).contains("\n  renewal:\n").contains("at_fraction: 0.75");
    assertThat(
            failure("certificates:\n  renewal:\n    at_fraction: 0.3\n", Map.of(), List.of())
                .getMessage())
        .startsWith("certificates.renewal.at_fraction: must be 0.5..0.95");
    assertThat(failure("certificates:\n  renewal:\n    jitter: 0.5\n", Map.of(), List.of()).key())
        .isEqualTo("certificates.renewal.jitter");
  }

  @Test
  void unknownKeysAreRejectedWithTheKnownOnes() throws Exception {
    ConfigException e = failure("wal:\n  segmnt_size: 8MiB\n", Map.of(), List.of());
    assertThat(e.key()).isEqualTo("wal.segmnt_size");
    assertThat(e.getMessage()).contains("unknown key").contains("segment_size");
    assertThat(failure("walrus: {}\n", Map.of(), List.of()).key()).isEqualTo("walrus");
  }

  @Test
  void theCertificatesTreeHoldsTheFiveSubsectionsEachWithItsDefaults() throws Exception {
    AuditgateConfig defaults = loader.load(Optional.empty(), Map.of(), List.of());
    assertThat(defaults.certificates()).isEqualTo(CertificatesConfig.defaults());
    assertThat(defaults.certificates().enrolment()).isEqualTo(EnrolmentConfig.defaults());
    assertThat(defaults.certificates().revocation()).isEqualTo(RevocationConfig.defaults());
    assertThat(defaults.certificates().inventory())
        .isEqualTo(CertificateInventoryConfig.defaults());
    assertThat(defaults.certificates().renewal()).isEqualTo(CertificateRenewalConfig.defaults());
    assertThat(defaults.certificates().alerts()).isEqualTo(CertificateAlertsConfig.defaults());

    Path file =
        yaml(
            """
            certificates:
              enrolment:
                enabled: true
                ca_dir: /var/lib/auditgate/ca
              revocation:
                drop_sessions_within: 10s
              inventory:
                max_age: 400d
              renewal:
                enabled: true
              alerts:
                evaluate_interval: 30s
            """);
    CertificatesConfig certificates =
        loader.load(Optional.of(file), Map.of(), List.of()).certificates();
    assertThat(certificates.enrolment().enabled()).isTrue();
    assertThat(certificates.enrolment().caDir()).isEqualTo(Path.of("/var/lib/auditgate/ca"));
    assertThat(certificates.revocation().dropSessionsWithin()).isEqualTo(Duration.ofSeconds(10));
    assertThat(certificates.inventory().maxAge()).isEqualTo(Duration.ofDays(400));
    assertThat(certificates.renewal().enabled()).isTrue();
    assertThat(certificates.alerts().evaluateInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(certificates.alerts().webhook())
        .as("a subsection's unset keys keep their defaults")
        .isEqualTo(CertificateAlertsConfig.Webhook.defaults());

    AuditgateConfig viaEnvAndFlag =
        loader.load(
            Optional.empty(),
            Map.of("AUDITGATE_CERTIFICATES__RENEWAL__ENABLED", "true"),
            List.of("certificates.enrolment.enabled=true"));
    assertThat(viaEnvAndFlag.certificates().renewal().enabled()).isTrue();
    assertThat(viaEnvAndFlag.certificates().enrolment().enabled()).isTrue();
  }

  @Test
  void theOldTopLevelCertificateSectionsAreRefusedWithTheirNewPlace() throws Exception {
    Map<String, String> moved =
        Map.of(
            "enrolment", "enabled: true",
            "revocation", "drop_sessions_within: 10s",
            "certificate_inventory", "max_age: 400d",
            "certificate_renewal", "enabled: true",
            "certificate_alerts", "evaluate_interval: 30s");
    Map<String, String> newPlace =
        Map.of(
            "enrolment", "certificates.enrolment",
            "revocation", "certificates.revocation",
            "certificate_inventory", "certificates.inventory",
            "certificate_renewal", "certificates.renewal",
            "certificate_alerts", "certificates.alerts");
    for (var old : moved.entrySet()) {
      ConfigException e =
          failure(old.getKey() + ":\n  " + old.getValue() + "\n", Map.of(), List.of());
      assertThat(e).as(old.getKey()).isNotNull();
      assertThat(e.key()).isEqualTo(old.getKey());
      assertThat(e.getMessage())
          .startsWith(old.getKey() + ": moved to " + newPlace.get(old.getKey()) + ":");
    }

    ConfigException fromEnv =
        failure(null, Map.of("AUDITGATE_CERTIFICATE_ALERTS__EVALUATE_INTERVAL", "30s"), List.of());
    assertThat(fromEnv.getMessage())
        .startsWith("certificate_alerts: moved to certificates.alerts")
        .contains("AUDITGATE_CERTIFICATES__ALERTS__KEY");
    ConfigException fromFlag = failure(null, Map.of(), List.of("certificate_renewal.enabled=true"));
    assertThat(fromFlag.getMessage())
        .startsWith("certificate_renewal: moved to certificates.renewal")
        .contains("--set certificates.renewal.key=value");
    assertThat(failure("enrolment: {}\n", Map.of(), List.of()).key())
        .as("even an empty old section is refused: it would otherwise be silently dropped")
        .isEqualTo("enrolment");
  }

  @Test
  void anUnknownKeyUnderCertificatesListsTheFiveSubsections() throws Exception {
    ConfigException e =
        failure(
            "certificates:\n  certificate_alerts:\n    evaluate_interval: 30s\n",
            Map.of(),
            List.of());
    assertThat(e.key()).isEqualTo("certificates.certificate_alerts");
    assertThat(e.getMessage())
        .contains("unknown key")
        .contains("alerts, enrolment, inventory, renewal, revocation");
  }

  @Test
  void crossFieldChecksNameTheirKey() throws Exception {
    ConfigException e =
        failure("wal:\n  segment_size: 64MiB\n  max_total_size: 100MiB\n", Map.of(), List.of());
    assertThat(e.key()).isEqualTo("wal.max_total_size");
  }

  @Test
  void missingFileAndBadYamlAreClear() throws Exception {
    assertThatThrownBy(
            () -> loader.load(Optional.of(dir.resolve("nope.yaml")), Map.of(), List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no such configuration file");
    assertThat(failure("wal: [unclosed\n", Map.of(), List.of()).getMessage())
        .contains("not valid YAML");
    assertThat(failure(null, Map.of(), List.of("no-equals-sign")).getMessage())
        .contains("section.key=value");
  }

  @Test
  void everyShippedExampleIsAValidConfiguration() throws Exception {
    Path examples = Path.of("..", "examples");
    List<Path> files;
    try (var list = Files.list(examples)) {
      files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      AuditgateConfig config = loader.load(Optional.of(file), Map.of(), List.of());
      assertThat(config.tls() != null || !config.gateway().enabled())
          .as(file + " uses TLS where it listens")
          .isTrue();
      assertThat(config.auth().required()).as(file + " requires authentication").isTrue();
    }
  }

  @Test
  void renderedYamlLoadsBackToTheSameConfig() throws Exception {
    AuditgateConfig config =
        loader.load(Optional.empty(), Map.of(), List.of("wal.linger=250us", "wal.max_age=36h"));
    String text = loader.toYaml(config);
    assertThat(text)
        .contains("linger: 250us")
        .contains("max_age: 36h")
        .contains("segment_size: 64MiB");
    assertThat(loader.load(Optional.of(yaml(text)), Map.of(), List.of())).isEqualTo(config);
  }

  @Test
  void historySectionsDefaultToEdgeModeAndHideKafkaSecrets() throws Exception {
    AuditgateConfig defaults = loader.load(Optional.empty(), Map.of(), List.of());
    assertThat(defaults.kafka().enabled()).as("no Kafka: direct store sink").isFalse();
    assertThat(defaults.store().embedded()).as("no database: embedded PostgreSQL").isTrue();
    assertThat(defaults.consumer().enabled()).isFalse();

    AuditgateConfig config =
        loader.load(
            Optional.of(
                yaml(
                    "kafka:\n"
                        + "  bootstrap_servers: k1:9093\n"
                        + "  client_properties:\n"
                        + "    sasl.jaas.config: 'ScramLoginModule required password=\"hunter2\";'\n"
                        + "    ssl.truststore.location: /etc/ca.pem\n"
                        + "store:\n"
                        + "  jdbc_url: jdbc:postgresql://db:5432/auditgate?sslmode=require&password=hunter4\n"
                        + "  password: hunter3\n")),
            Map.of("AUDITGATE_CONSUMER__ENABLED", "true"),
            List.of());
    assertThat(config.kafka().bootstrapServers()).contains("k1:9093");
    assertThat(config.consumer().enabled()).isTrue();
    String shown = loader.toYaml(config);
    assertThat(shown)
        .doesNotContain("hunter2")
        .doesNotContain("hunter3")
        .doesNotContain("hunter4")
        .contains("/etc/ca.pem")
        .contains("sslmode=require");
    assertThat(config.store().toString()).doesNotContain("hunter4");
    assertThat(config.kafka().toString()).doesNotContain("hunter2");
    assertThat(config.store().toString()).doesNotContain("hunter3");
  }

  @Test
  void theStoreConsumerNeedsKafka() throws Exception {
    assertThat(failure(null, Map.of(), List.of("consumer.enabled=true")).getMessage())
        .contains("consumer.enabled")
        .contains("kafka.bootstrap_servers");
    assertThat(failure(null, Map.of(), List.of("store.jdbc_url=mysql://db")).getMessage())
        .contains("store.jdbc_url");
  }
}

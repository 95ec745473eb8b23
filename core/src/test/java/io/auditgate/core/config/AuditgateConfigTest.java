package io.auditgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AuditgateConfigTest {
  @Test
  void everySectionDefaultsAndTheCertificatesTreeHoldsEachSubsectionsDefaults() {
    AuditgateConfig config = AuditgateConfig.defaults();

    assertThat(config.tls()).as("no TLS material unless configured").isNull();
    assertThat(config.wal()).isEqualTo(WalConfig.defaults());
    assertThat(config.fleet()).isEqualTo(FleetConfig.defaults());
    assertThat(config.certificates()).isEqualTo(CertificatesConfig.defaults());
    CertificatesConfig certificates = config.certificates();
    assertThat(certificates.enrolment()).isEqualTo(EnrolmentConfig.defaults());
    assertThat(certificates.revocation()).isEqualTo(RevocationConfig.defaults());
    assertThat(certificates.inventory()).isEqualTo(CertificateInventoryConfig.defaults());
    assertThat(certificates.renewal()).isEqualTo(CertificateRenewalConfig.defaults());
    assertThat(certificates.alerts()).isEqualTo(CertificateAlertsConfig.defaults());
    assertThat(new CertificatesConfig(null, null, null, null, null))
        .isEqualTo(CertificatesConfig.defaults());
  }

  @Test
  void eachWithReplacesOnlyItsOwnSection() {
    GatewayConfig gateway = new GatewayConfig("gw-1", Path.of("/data"));
    FleetConfig fleet = new FleetConfig(Duration.ofSeconds(2), Duration.ofMinutes(15));
    AuditgateConfig config =
        AuditgateConfig.defaults()
            .withGateway(gateway)
            .withFleet(fleet)
            .withDispatch(DispatchConfig.logOnly());

    assertThat(config.gateway()).isEqualTo(gateway);
    assertThat(config.fleet()).isEqualTo(fleet);
    assertThat(config.dispatch()).isEqualTo(DispatchConfig.logOnly());
    assertThat(config.withWeb(WebConfig.defaults()))
        .isEqualTo(
            new AuditgateConfig(
                gateway,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                DispatchConfig.logOnly(),
                null,
                null,
                WebConfig.defaults(),
                fleet,
                null));
    assertThat(config.withCertificates(null).certificates())
        .as("a null section is its default, as in the file")
        .isEqualTo(CertificatesConfig.defaults());
  }

  @Test
  void eachCertificatesWithReplacesOnlyItsOwnSubsection() {
    EnrolmentConfig enrolment = EnrolmentConfig.defaults().withEnabled(true);
    RevocationConfig revocation = RevocationConfig.defaults().withCrlUrl("https://cp/crl");
    CertificateRenewalConfig renewal = CertificateRenewalConfig.defaults().withEnabled(true);
    CertificateAlertsConfig alerts =
        CertificateAlertsConfig.defaults().withEvaluateInterval(Duration.ofSeconds(5));
    CertificatesConfig certificates =
        CertificatesConfig.defaults()
            .withEnrolment(enrolment)
            .withRevocation(revocation)
            .withRenewal(renewal)
            .withAlerts(alerts);

    assertThat(certificates)
        .isEqualTo(
            new CertificatesConfig(
                enrolment, revocation, CertificateInventoryConfig.defaults(), renewal, alerts));
    assertThat(certificates.withInventory(null).inventory())
        .isEqualTo(CertificateInventoryConfig.defaults());
  }

  @Test
  void aCopyIsValidatedLikeAnyNewConfiguration() {
    ConfigException e =
        catchThrowableOfType(
            () ->
                AuditgateConfig.defaults().withConsumer(new StoreConsumerConfig(true, null, null)),
            ConfigException.class);

    assertThat(e.key()).isEqualTo("consumer.enabled");
  }
}

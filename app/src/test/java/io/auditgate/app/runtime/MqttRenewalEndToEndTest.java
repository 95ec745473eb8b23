package io.auditgate.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.CertificatesConfig;
import io.auditgate.core.config.EnrolmentConfig;
import io.auditgate.core.config.GatewayConfig;
import io.auditgate.core.config.HttpIngestConfig;
import io.auditgate.core.config.MqttConfig;
import io.auditgate.core.config.WebConfig;
import io.auditgate.ingest.mqtt.CommandOutcome;
import io.auditgate.sim.PemCredentials;
import io.auditgate.sim.RenewingDevice;
import io.auditgate.sim.SimulationPlan.Endpoint;
import io.auditgate.store.StoreOptions;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renewal over MQTT end to end: a node with MQTT over mTLS and EST on its web server; a simulated
 * device connected with a CA-issued certificate is told on its command topic to re-enrol, calls
 * simplereenroll with that certificate, writes the new one, reconnects with it and publishes again;
 * the issuance is recorded against the old certificate.
 */
class MqttRenewalEndToEndTest {
  private static final String DEVICE = "b-l475e-0042";

  @TempDir Path dir;

  @Test
  void aDeviceToldToReenrolRenewsOverEstAndReconnectsWithTheNewCertificate() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"), List.of(DEVICE));
    AuditgateConfig config =
        AuditgateConfig.defaults()
            .withGateway(new GatewayConfig("gw-renew", dir.resolve("data")))
            .withTls(pki.serverTls())
            .withMqtt(
                new MqttConfig("127.0.0.1", 0, null, null, null, null, null, null, null, null))
            .withHttp(HttpIngestConfig.defaults().withBind("127.0.0.1", 0))
            .withWeb(WebConfig.defaults().withBind("127.0.0.1", 0))
            .withCertificates(
                CertificatesConfig.defaults()
                    .withEnrolment(
                        EnrolmentConfig.defaults()
                            .withEnabled(true)
                            .withCaDir(pki.root.resolve("ca"))));

    try (Node node = Node.start(config, Clock.systemUTC())) {
      Gateway gateway = node.gateway().orElseThrow();
      TrustManagerFactory trust = PemCredentials.trustManagerFactory(pki.caCertificate);
      try (RenewingDevice device =
          RenewingDevice.start(
              DEVICE,
              pki.devices,
              Endpoint.tls("localhost", gateway.mqttAddress().getPort(), trust),
              URI.create(node.web().orElseThrow().baseUrl() + "/.well-known/est"),
              trust)) {
        X509Certificate old = device.currentCertificate();
        assertThat(device.publish(TestPki.telemetry(1))).isTrue();
        var renewal = device.nextRenewal();

        CommandOutcome outcome =
            node.renewalCommands()
                .orElseThrow()
                .requestReenrolment(DEVICE, "expiring")
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(outcome).isEqualTo(new CommandOutcome.Acknowledged(1));

        X509Certificate renewed = renewal.get(60, TimeUnit.SECONDS);
        assertThat(renewed.getSerialNumber()).isNotEqualTo(old.getSerialNumber());
        assertThat(renewed.getPublicKey()).isNotEqualTo(old.getPublicKey());
        assertThat(device.currentCertificate()).isEqualTo(renewed);
        assertThat(device.publish(TestPki.telemetry(2)))
            .as("the gateway accepts the device on its new certificate")
            .isTrue();

        assertThat(issuances(node.storeOptions().orElseThrow()))
            .containsExactly(List.of(sha256(renewed), "mqtt_renewal", sha256(old)));
      }
    }
    assertThat(TestPki.storedCounts(dir.resolve("data/wal")))
        .containsEntry(TestPki.key(DEVICE, 1), 1)
        .containsEntry(TestPki.key(DEVICE, 2), 1);
  }

  private static List<List<String>> issuances(StoreOptions store) throws Exception {
    try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.driverProperties());
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT certificate_sha256, method, previous_sha256 FROM certificate_issuances"
                    + " WHERE device_id = ? ORDER BY id")) {
      ps.setString(1, DEVICE);
      try (ResultSet rs = ps.executeQuery()) {
        List<List<String>> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
        }
        return rows;
      }
    }
  }

  private static String sha256(X509Certificate certificate) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
  }
}

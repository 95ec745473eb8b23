package io.auditgate.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.controlplane.inventory.CertificateInventory;
import io.auditgate.controlplane.inventory.SightingView;
import io.auditgate.controlplane.inventory.SourceKind;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.CertificateInventoryConfig;
import io.auditgate.core.config.CertificatesConfig;
import io.auditgate.core.config.GatewayConfig;
import io.auditgate.core.config.HttpIngestConfig;
import io.auditgate.core.config.MqttConfig;
import io.auditgate.fleet.DeviceRegistration;
import io.auditgate.fleet.Fleet;
import io.auditgate.sim.PemCredentials;
import io.auditgate.store.StoreOptions;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A certificate presented at the HTTPS ingest listener reaches the certificate inventory, through a
 * real node: a device posts telemetry over HTTPS with its client certificate (real TLS, the JDK's
 * HTTP client), the listener logs a {@code certificate_presented} event, the store records it in
 * {@code device_connectivity} with the DER, and the listener sightings collector turns it into a
 * {@code listener_https} sighting at {@code https@<gateway>}. The device's last connect does not
 * move: HTTP has no session.
 */
class HttpsListenerSightingEndToEndTest {
  private static final String DEVICE = "b-l475e-0101";
  private static final String GATEWAY = "gw-https";

  @TempDir Path dir;

  @Test
  void aClientCertificatePresentedOverHttpsIsAnHttpsListenerSighting() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"), List.of(DEVICE));
    AuditgateConfig config =
        AuditgateConfig.defaults()
            .withGateway(new GatewayConfig(GATEWAY, dir.resolve("data")))
            .withTls(pki.serverTls())
            .withMqtt(
                new MqttConfig("127.0.0.1", 0, null, null, null, null, null, null, null, null))
            .withHttp(HttpIngestConfig.defaults().withBind("127.0.0.1", 0))
            .withCertificates(
                CertificatesConfig.defaults()
                    .withInventory(
                        new CertificateInventoryConfig(
                            null, null, null, Duration.ofSeconds(1), null, null, null)));
    X509Certificate certificate = read(pki.certificate(DEVICE));
    String sha256 =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));

    try (Node node = Node.start(config, Clock.systemUTC())) {
      StoreOptions store = node.storeOptions().orElseThrow();
      Fleet.registry(store).registerDevice(DeviceRegistration.of(DEVICE));
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(
          PemCredentials.keyManagerFactory(pki.certificate(DEVICE), pki.key(DEVICE))
              .getKeyManagers(),
          PemCredentials.trustManagerFactory(pki.caCertificate).getTrustManagers(),
          null);
      HttpClient device =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .sslContext(tls)
              .connectTimeout(Duration.ofSeconds(10))
              .build();
      int port = node.gateway().orElseThrow().httpAddress().getPort();
      for (long seq = 1; seq <= 3; seq++) {
        HttpResponse<String> answer =
            device.send(
                HttpRequest.newBuilder(
                        URI.create("https://localhost:" + port + "/v1/ingest/" + DEVICE))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(TestPki.telemetry(seq)))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
      }

      CertificateInventory inventory = node.certificates().orElseThrow().inventory();
      SightingView sighting =
          awaitValue(
              "an HTTPS listener sighting",
              () ->
                  inventory
                      .detail(sha256)
                      .flatMap(
                          d ->
                              d.sightings().stream()
                                  .filter(s -> s.source() == SourceKind.LISTENER_HTTPS)
                                  .findFirst()));
      assertThat(sighting.location()).isEqualTo("https@" + GATEWAY);
      assertThat(sighting.deviceId()).contains(DEVICE);
      assertThat(inventory.detail(sha256).orElseThrow().sightings())
          .as("one request or three, the same connection is one sighting")
          .filteredOn(s -> s.source() == SourceKind.LISTENER_HTTPS)
          .singleElement()
          .satisfies(s -> assertThat(s.count()).isEqualTo(1));

      // In the store: one certificate_presented row with the DER; no connect of the device.
      assertThat(
              rows(
                  store,
                  "SELECT event, details ->> 'protocol', details ->> 'tls',"
                      + " encode(certificate_der, 'hex') FROM device_connectivity"
                      + " WHERE device_id = '"
                      + DEVICE
                      + "'"))
          .containsExactly(
              List.of(
                  "certificate_presented",
                  "https",
                  "mtls",
                  HexFormat.of().formatHex(certificate.getEncoded())));
      assertThat(
              rows(
                  store,
                  "SELECT coalesce(last_connect_at::text, '-'), (last_activity_at IS NOT NULL)::text"
                      + " FROM devices WHERE device_id = '"
                      + DEVICE
                      + "'"))
          .containsExactly(List.of("-", "true"));
      assertThat(node.gateway().orElseThrow().httpMetrics().certificateEventsSent()).isEqualTo(1);
    }
  }

  private static X509Certificate read(Path pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
  }

  private static List<List<String>> rows(StoreOptions store, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.driverProperties());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<List<String>> out = new ArrayList<>();
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          row.add(rs.getString(i));
        }
        out.add(row);
      }
      return out;
    }
  }

  private interface Probe<T> {
    Optional<T> get() throws Exception;
  }

  private static <T> T awaitValue(String what, Probe<T> probe) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(200);
    }
  }
}

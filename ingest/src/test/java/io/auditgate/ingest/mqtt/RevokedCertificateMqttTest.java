package io.auditgate.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.ingest.auth.RevocableSessions;
import io.auditgate.ingest.auth.RevocationPki;
import io.auditgate.ingest.auth.RevokedSessionSweeper;
import io.auditgate.testkit.Openssl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revoked device certificates on the MQTT listener: refused at the TLS handshake (openssl s_client
 * as the independent client), and an open session dropped by the sweep once its certificate is
 * revoked (the HiveMQ client, MQTT 5 over mutual TLS).
 */
@Timeout(60)
class RevokedCertificateMqttTest {
  @TempDir Path dir;
  private RevocationPki pki;

  @BeforeEach
  void createPki() {
    pki = new RevocationPki(dir.resolve("ca"));
  }

  @Test
  void opensslSClientWithARevokedCertificateIsRefusedAtTheHandshake() throws Exception {
    Openssl.requireVersion3(dir);
    IssuedCertificate revoked = pki.device("device-3");
    IssuedCertificate good = pki.device("device-4");
    pki.revoke(revoked);
    writePem(dir.resolve("issuing.pem"), pki.ca().issuingCertificate().getEncoded());
    revoked.writePem(dir, "revoked");
    good.writePem(dir, "good");

    try (Harness gateway = Harness.settings().tls().start(dir, pki.serverContext())) {
      String address = "127.0.0.1:" + gateway.address.getPort();
      // TLS 1.2: the server checks the client certificate before its Finished, so the refusal is
      // part of the handshake openssl reports (with TLS 1.3 it arrives after the client's
      // Finished).
      Openssl.Run refused = sClient(address, "revoked");
      Openssl.Run accepted = sClient(address, "good");

      // The JDK's server answers any refused client certificate with alert 46, certificate_unknown.
      assertThat(refused.output())
          .as(refused.output())
          .contains("alert certificate unknown")
          .doesNotContain("CONNECTION ESTABLISHED");
      assertThat(refused.exitCode()).isNotZero();
      assertThat(accepted.output())
          .as(accepted.output())
          .contains("CONNECTION ESTABLISHED")
          .contains("Verification: OK");
      gateway.awaitMetrics("the refusal", m -> m.refused("tls_handshake_failed") == 1);
    }
  }

  @Test
  void anOpenSessionIsDroppedWithinTheSweepIntervalAndReconnectingIsRefused() throws Exception {
    IssuedCertificate device = pki.device("device-5");
    try (Harness gateway = Harness.settings().tls().start(dir, pki.serverContext());
        RevokedSessionSweeper sweeper =
            new RevokedSessionSweeper(
                pki.check(),
                List.of(new RevocableSessions("mqtt", gateway.listener::dropRevoked)),
                Duration.ofSeconds(1))) {
      CompletableFuture<Throwable> dropped = new CompletableFuture<>();
      Mqtt5BlockingClient client = client(gateway, device, dropped);
      client.connect();
      client
          .publishWith()
          .topic("devices/device-5/telemetry")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload("{\"metrics\":{\"t\":1}}".getBytes(StandardCharsets.UTF_8))
          .send();
      assertThat(gateway.ingest.storedBodies()).hasSize(1);

      long revokedAt = System.nanoTime();
      pki.revoke(device);
      Throwable cause = dropped.get(10, TimeUnit.SECONDS);
      Duration took = Duration.ofNanos(System.nanoTime() - revokedAt);

      assertThat(took)
          .as("dropped within the 1 s sweep interval plus slack")
          .isLessThan(Duration.ofSeconds(3));
      assertThat(cause).isInstanceOf(Mqtt5DisconnectException.class);
      assertThat(((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode())
          .isEqualTo(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED);
      gateway.awaitMetrics("the drop", m -> m.closed("certificate_revoked") == 1);
      assertThat(sweeper.metrics().dropped()).containsEntry("mqtt", 1L);
      Harness.await(
          "the disconnected event",
          Duration.ofSeconds(5),
          () ->
              gateway.ingest.connectivityEvents().stream()
                  .anyMatch(e -> e.contains("\"reason\":\"certificate_revoked\"")));

      Throwable reconnect =
          catchThrowable(() -> client(gateway, device, new CompletableFuture<>()).connect());
      assertThat(reconnect).as("the handshake refuses the revoked certificate").isNotNull();
      assertThat(gateway.metrics().clientsConnected()).isZero();
    }
  }

  @Test
  void theSweepLeavesGoodSessionsAlone() throws Exception {
    IssuedCertificate good = pki.device("device-6");
    IssuedCertificate other = pki.device("device-7");
    try (Harness gateway = Harness.settings().tls().start(dir, pki.serverContext())) {
      CompletableFuture<Throwable> dropped = new CompletableFuture<>();
      Mqtt5BlockingClient client = client(gateway, good, dropped);
      client.connect();
      pki.revoke(other);

      assertThat(gateway.listener.dropRevoked(pki.check())).isZero();
      assertThat(dropped).isNotDone();
      assertThat(gateway.metrics().clientsConnected()).isEqualTo(1);
      client.disconnect();
    }
  }

  private Mqtt5BlockingClient client(
      Harness gateway, IssuedCertificate device, CompletableFuture<Throwable> disconnected)
      throws Exception {
    return MqttClient.builder()
        .useMqttVersion5()
        .identifier(device.certificate().getSubjectX500Principal().getName().substring(3))
        .serverHost("localhost")
        .serverPort(gateway.address.getPort())
        .sslConfig()
        .keyManagerFactory(pki.keyManagers(device))
        .trustManagerFactory(pki.trustManagers())
        .protocols(List.of("TLSv1.3"))
        .applySslConfig()
        .addDisconnectedListener(context -> disconnected.complete(context.getCause()))
        .buildBlocking();
  }

  private Openssl.Run sClient(String address, String name) {
    return Openssl.run(
        dir,
        "s_client",
        "-connect",
        address,
        "-tls1_2",
        "-brief",
        "-servername",
        "localhost",
        "-CAfile",
        pki.ca().rootCertificateFile().toString(),
        "-cert",
        name + ".crt",
        "-key",
        name + ".key",
        "-cert_chain",
        "issuing.pem");
  }

  private static void writePem(Path file, byte[] der) throws Exception {
    Files.writeString(
        file,
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
            + "\n-----END CERTIFICATE-----\n");
  }
}

package io.auditgate.ingest.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.auditgate.core.ingest.DeviceIdentity;
import io.auditgate.core.ingest.IngestRequest;
import io.netty.handler.ssl.ClientAuth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS, with certificates made by Bouncy Castle and real Paho clients. */
@Timeout(60)
class TlsTest {
  private static TestPki pki;

  @TempDir Path dir;

  @BeforeAll
  static void issueCertificates() {
    pki = TestPki.create();
  }

  @Test
  void pahoV3AndV5PublishOverTlsWithPasswords() throws Exception {
    try (Harness gateway = startTls(ClientAuth.OPTIONAL)) {
      MqttAsyncClient v3 = Paho.v3(gateway.ssl(), "tls-v3");
      org.eclipse.paho.mqttv5.client.MqttAsyncClient v5 = Paho.v5(gateway.ssl(), "tls-v5");
      try {
        MqttConnectOptions v3Options = Paho.v3Options("device-1", "secret-1");
        v3Options.setSocketFactory(pki.clientSockets(Optional.empty()));
        v3.connect(v3Options).waitForCompletion(Paho.WAIT_MILLIS);
        MqttConnectionOptions v5Options = Paho.v5Options("device-2", "secret-2");
        v5Options.setSocketFactory(pki.clientSockets(Optional.empty()));
        v5.connect(v5Options).waitForCompletion(Paho.WAIT_MILLIS);

        v3.publish("devices/device-1/telemetry", "{\"v\":3}".getBytes(UTF_8), 1, false)
            .waitForCompletion(Paho.WAIT_MILLIS);
        v5.publish("devices/device-2/telemetry", "{\"v\":5}".getBytes(UTF_8), 1, false)
            .waitForCompletion(Paho.WAIT_MILLIS);

        assertThat(gateway.ingest.storedBodies())
            .containsExactlyInAnyOrder("{\"v\":3}", "{\"v\":5}");
      } finally {
        Paho.closeQuietly(v3);
        Paho.closeQuietly(v5);
      }
    }
  }

  @Test
  void theClientCertificateIsTheIdentityWhateverUsernameComesWithIt() throws Exception {
    try (Harness gateway = startTls(ClientAuth.REQUIRE)) {
      org.eclipse.paho.mqttv5.client.MqttAsyncClient client = Paho.v5(gateway.ssl(), "mtls");
      try {
        // The certificate says device-7; the username claims device-1 (and has its password).
        MqttConnectionOptions options = Paho.v5Options("device-1", "secret-1");
        options.setSocketFactory(pki.clientSockets(Optional.of(pki.client("device-7"))));
        client.connect(options).waitForCompletion(Paho.WAIT_MILLIS);

        client
            .publish("devices/device-7/telemetry", "{\"cert\":true}".getBytes(UTF_8), 1, false)
            .waitForCompletion(Paho.WAIT_MILLIS);
        IMqttToken spoof =
            client.publish("devices/device-1/telemetry", "{}".getBytes(UTF_8), 1, false);
        spoof.waitForCompletion(Paho.WAIT_MILLIS);

        assertThat(spoof.getReasonCodes()).as("0x87 not authorized").containsExactly(0x87);
        IngestRequest stored = gateway.ingest.requests().get(0);
        assertThat(stored.identity().deviceId()).isEqualTo("device-7");
        assertThat(stored.identity().method()).isEqualTo(DeviceIdentity.Method.CLIENT_CERTIFICATE);
        assertThat(stored.identity().certificateSha256()).get().asString().hasSize(64);
        assertThat(gateway.ingest.requests()).hasSize(1);
      } finally {
        Paho.closeQuietly(client);
      }
    }
  }

  @Test
  void theConnectedEventCarriesTheClientCertificatesFingerprintSubjectAndExpiry() throws Exception {
    TestPki.Issued device7 = pki.client("device-7");
    try (Harness gateway = startTls(ClientAuth.REQUIRE)) {
      MqttAsyncClient client = Paho.v3(gateway.ssl(), "mtls-posture");
      try {
        MqttConnectOptions options = Paho.v3Options(null, null);
        options.setSocketFactory(pki.clientSockets(Optional.of(device7)));
        client.connect(options).waitForCompletion(Paho.WAIT_MILLIS);
      } finally {
        Paho.closeQuietly(client);
      }
      Harness.await(
          "the connected event",
          Duration.ofSeconds(5),
          () -> !gateway.ingest.connectivityEvents().isEmpty());

      com.fasterxml.jackson.databind.JsonNode connected =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(gateway.ingest.connectivityEvents().get(0));
      assertThat(connected.get("tls").asText()).isEqualTo("mtls");
      assertThat(connected.get("certificate_sha256").asText())
          .isEqualTo(io.auditgate.ingest.auth.Fingerprints.sha256Hex(device7.certificate()))
          .matches("[0-9a-f]{64}");
      assertThat(connected.get("certificate_subject").asText()).contains("CN=device-7");
      assertThat(java.time.Instant.parse(connected.get("certificate_not_after").asText()))
          .isEqualTo(device7.certificate().getNotAfter().toInstant());
      // the whole leaf, for the certificate inventory to parse
      assertThat(java.util.Base64.getDecoder().decode(connected.get("certificate_der").asText()))
          .isEqualTo(device7.certificate().getEncoded());
    }
  }

  @Test
  void aConnectWithoutACertificateCarriesNoCertificateFields() throws Exception {
    try (Harness gateway = startTls(ClientAuth.OPTIONAL)) {
      MqttAsyncClient client = Paho.v3(gateway.ssl(), "tls-no-cert");
      try {
        MqttConnectOptions options = Paho.v3Options("device-1", "secret-1");
        options.setSocketFactory(pki.clientSockets(Optional.empty()));
        client.connect(options).waitForCompletion(Paho.WAIT_MILLIS);
      } finally {
        Paho.closeQuietly(client);
      }
      Harness.await(
          "the connected event",
          Duration.ofSeconds(5),
          () -> !gateway.ingest.connectivityEvents().isEmpty());

      assertThat(gateway.ingest.connectivityEvents().get(0))
          .contains("\"tls\":\"tls\"")
          .doesNotContain("certificate_");
    }
  }

  @Test
  void pahoV3ConnectsWithItsCertificateAlone() throws Exception {
    try (Harness gateway = startTls(ClientAuth.REQUIRE)) {
      MqttAsyncClient client = Paho.v3(gateway.ssl(), "mtls-v3");
      try {
        MqttConnectOptions options = Paho.v3Options(null, null);
        options.setSocketFactory(pki.clientSockets(Optional.of(pki.client("device-8"))));
        client.connect(options).waitForCompletion(Paho.WAIT_MILLIS);

        client
            .publish("devices/device-8/events", "{\"boot\":1}".getBytes(UTF_8), 1, false)
            .waitForCompletion(Paho.WAIT_MILLIS);

        assertThat(gateway.ingest.requests().get(0).identity().deviceId()).isEqualTo("device-8");
        assertThat(gateway.ingest.storedBodies()).containsExactly("{\"boot\":1}");
      } finally {
        Paho.closeQuietly(client);
      }
    }
  }

  @Test
  void aCertificateNamingNoKnownDeviceIsNotAuthorized() throws Exception {
    try (Harness gateway = startTls(ClientAuth.REQUIRE)) {
      org.eclipse.paho.mqttv5.client.MqttAsyncClient client = Paho.v5(gateway.ssl(), "stranger");
      try {
        MqttConnectionOptions options = Paho.v5Options(null, null);
        options.setSocketFactory(pki.clientSockets(Optional.of(pki.client("stranger"))));

        MqttException refusal =
            catchThrowableOfType(
                MqttException.class,
                () -> client.connect(options).waitForCompletion(Paho.WAIT_MILLIS));

        assertThat(refusal.getReasonCode()).isEqualTo(0x87);
        assertThat(gateway.metrics().refused("not_authorized")).isEqualTo(1);
      } finally {
        Paho.closeQuietly(client);
      }
    }
  }

  @Test
  void mutualTlsRefusesAClientWithoutACertificate() throws Exception {
    try (Harness gateway = startTls(ClientAuth.REQUIRE)) {
      MqttAsyncClient client = Paho.v3(gateway.ssl(), "no-cert");
      try {
        MqttConnectOptions options = Paho.v3Options("device-1", "secret-1");
        options.setSocketFactory(pki.clientSockets(Optional.empty()));

        Throwable failure =
            catchThrowable(() -> client.connect(options).waitForCompletion(Paho.WAIT_MILLIS));

        assertThat(failure).isNotNull();
        gateway.awaitMetrics("counted", m -> m.refused("tls_handshake_failed") == 1);
        assertThat(gateway.metrics().clientsConnected()).isZero();
      } finally {
        Paho.closeQuietly(client);
      }
    }
  }

  @Test
  void plaintextMqttOnTheTlsPortIsClosedAndCounted() throws Exception {
    try (LogWatch logs = new LogWatch();
        Harness gateway = startTls(ClientAuth.OPTIONAL);
        RawClient client = gateway.raw()) {
      client.send(Packets.connect(Packets.V311, "plain", "device-1", "secret-1", 30));

      assertThat(client.closedWithin(Duration.ofSeconds(5))).isTrue();
      gateway.awaitMetrics("counted", m -> m.refused("tls_handshake_failed") == 1);
      assertThat(logs.warnings()).isEmpty();
    }
  }

  private Harness startTls(ClientAuth clientAuth) {
    return Harness.settings().tls().start(dir, pki.serverContext(clientAuth));
  }
}

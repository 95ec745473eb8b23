package io.auditgate.app.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.Validity;
import io.auditgate.core.config.TlsConfig;
import io.auditgate.sim.PemCredentials;
import io.auditgate.wal.WalInspector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A development CA in a directory with a server certificate for localhost and one certificate per
 * device ({@code devices/<id>.crt|.key}), and MQTT 5 clients that present them.
 */
final class TestPki {
  final Path root;
  final Path caCertificate;
  final Path serverCertificate;
  final Path serverKey;
  final Path devices;

  private TestPki(Path root, Path serverCertificate, Path serverKey) {
    this.root = root;
    this.caCertificate = root.resolve("ca/root-ca.crt");
    this.serverCertificate = serverCertificate;
    this.serverKey = serverKey;
    this.devices = root.resolve("devices");
  }

  static TestPki create(Path root, List<String> deviceIds) {
    DevCertificateAuthority ca =
        DevCertificateAuthority.create(
            root.resolve("ca"), CaOptions.defaults(), Optional.empty(), Clock.systemUTC());
    var server =
        ca.issueServer(List.of("localhost", "127.0.0.1"), Validity.days(30))
            .writePem(root.resolve("tls"), "server");
    for (String id : deviceIds) {
      ca.issueDevice(id, Validity.days(30)).writePem(root.resolve("devices"), id);
    }
    return new TestPki(root, server.certificateChain(), server.privateKey());
  }

  /** Certificates required of nobody: a device shows a certificate or else credentials. */
  TlsConfig serverTls() {
    return TlsConfig.of(serverCertificate, serverKey, caCertificate)
        .withClientAuth(TlsConfig.ClientAuth.OPTIONAL);
  }

  Path certificate(String deviceId) {
    return devices.resolve(deviceId + ".crt");
  }

  Path key(String deviceId) {
    return devices.resolve(deviceId + ".key");
  }

  /** An MQTT 5 client of {@code deviceId} with its certificate, connected with a clean start. */
  Mqtt5AsyncClient connect(String deviceId, int port) throws Exception {
    Mqtt5AsyncClient client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(deviceId)
            .serverHost("localhost")
            .serverPort(port)
            .sslConfig(
                MqttClientSslConfig.builder()
                    .trustManagerFactory(PemCredentials.trustManagerFactory(caCertificate))
                    .keyManagerFactory(
                        PemCredentials.keyManagerFactory(certificate(deviceId), key(deviceId)))
                    .build())
            .buildAsync();
    client.connectWith().cleanStart(true).keepAlive(30).send().get(10, TimeUnit.SECONDS);
    return client;
  }

  /** The JSON a board sends: a sequence number and one reading. */
  static byte[] telemetry(long seq) {
    return ("{\"seq\":" + seq + ",\"metrics\":{\"temperature_c\":21.5}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * How often each {@code device_id/seq} is in the log of {@code walDir}, read without changing the
   * files (safe on a running or crashed gateway's log).
   */
  static Map<String, Integer> storedCounts(Path walDir) {
    Map<String, Integer> counts = new HashMap<>();
    ObjectMapper json = new ObjectMapper();
    new WalInspector(walDir)
        .dump(
            0,
            record -> {
              try {
                JsonNode envelope = json.readTree(record.body());
                JsonNode seq = envelope.get("seq");
                if (envelope.hasNonNull("device_id") && seq != null && !seq.isNull()) {
                  counts.merge(
                      key(envelope.get("device_id").asText(), seq.asLong()), 1, Integer::sum);
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              return true;
            });
    return counts;
  }

  static String key(String deviceId, long seq) {
    return deviceId + "/" + seq;
  }
}

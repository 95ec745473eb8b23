package io.auditgate.app.observability;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.Validity;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.DispatchConfig;
import io.auditgate.core.config.GatewayConfig;
import io.auditgate.core.config.HttpIngestConfig;
import io.auditgate.core.config.MqttConfig;
import io.auditgate.core.config.TlsConfig;
import io.auditgate.core.config.WalConfig;
import io.auditgate.ingest.tls.ClientTlsContexts;
import io.auditgate.sim.PemCredentials;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** A development CA with a localhost server certificate and device certificates, and clients. */
final class ObservabilityFixture {
  static final String DEVICE = "b-l475e-0001";

  final Path dir;
  final Path caCertificate;
  final TlsConfig serverTls;
  private final Path devices;

  ObservabilityFixture(Path dir) {
    this.dir = dir;
    DevCertificateAuthority ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), Clock.systemUTC());
    var server =
        ca.issueServer(List.of("localhost", "127.0.0.1"), Validity.days(30))
            .writePem(dir.resolve("tls"), "server");
    devices = dir.resolve("devices");
    ca.issueDevice(DEVICE, Validity.days(30)).writePem(devices, DEVICE);
    caCertificate = ca.rootCertificateFile();
    serverTls =
        TlsConfig.of(server.certificateChain(), server.privateKey(), caCertificate)
            .withClientAuth(TlsConfig.ClientAuth.OPTIONAL);
  }

  /** A gateway on ephemeral loopback ports with its data in {@code data}, no sink. */
  AuditgateConfig config(WalConfig wal) {
    return AuditgateConfig.defaults()
        .withGateway(new GatewayConfig("gw-obs", dir.resolve("data")))
        .withWal(wal)
        .withTls(serverTls)
        .withMqtt(new MqttConfig("127.0.0.1", 0, null, null, null, null, null, null, null, null))
        .withHttp(HttpIngestConfig.defaults().withBind("127.0.0.1", 0))
        .withDispatch(DispatchConfig.logOnly());
  }

  HttpClient https() {
    var tls =
        ClientTlsContexts.build(
            caCertificate,
            devices.resolve(DEVICE + ".crt"),
            devices.resolve(DEVICE + ".key"),
            Optional.empty());
    return HttpClient.newBuilder().sslContext(tls.jdk()).build();
  }

  static HttpResponse<String> post(HttpClient http, InetSocketAddress at, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("https://localhost:" + at.getPort() + "/v1/ingest/" + DEVICE))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(HttpClient http, InetSocketAddress at, String path)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("https://localhost:" + at.getPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String telemetry(long seq) {
    return "{\"seq\":" + seq + ",\"metrics\":{\"temperature_c\":21.5}}";
  }

  Mqtt5BlockingClient mqtt(int port) throws Exception {
    Mqtt5BlockingClient client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(DEVICE)
            .serverHost("localhost")
            .serverPort(port)
            .sslConfig(
                MqttClientSslConfig.builder()
                    .trustManagerFactory(PemCredentials.trustManagerFactory(caCertificate))
                    .keyManagerFactory(
                        PemCredentials.keyManagerFactory(
                            devices.resolve(DEVICE + ".crt"), devices.resolve(DEVICE + ".key")))
                    .build())
            .buildBlocking();
    client.connectWith().cleanStart(true).send();
    return client;
  }
}

package io.auditgate.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.Validity;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.ConfigException;
import io.auditgate.core.config.DispatchConfig;
import io.auditgate.core.config.GatewayConfig;
import io.auditgate.core.config.HttpIngestConfig;
import io.auditgate.core.config.MqttConfig;
import io.auditgate.core.config.TlsConfig;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.envelope.GatewayEvent;
import io.auditgate.envelope.GatewayEventCodec;
import io.auditgate.ingest.tls.ClientTlsContexts;
import io.auditgate.sim.FleetSimulator;
import io.auditgate.sim.PemCredentials;
import io.auditgate.sim.SimulationPlan;
import io.auditgate.sim.SimulationPlan.Credentials;
import io.auditgate.sim.SimulationPlan.Endpoint;
import io.auditgate.sim.SimulationReport;
import io.auditgate.wal.WalInspector;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wired gateway end to end: real TLS with certificates from the development CA, simulated
 * boards over MQTT 5 with mTLS, HTTPS with a client certificate, and the write-ahead log on disk.
 */
class GatewayTest {
  @TempDir Path dir;
  private TlsConfig tls;
  private Path devices;

  @BeforeEach
  void issueCertificates() {
    DevCertificateAuthority ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), Clock.systemUTC());
    var server =
        ca.issueServer(List.of("localhost", "127.0.0.1"), Validity.days(30))
            .writePem(dir.resolve("tls"), "server");
    devices = dir.resolve("devices");
    for (String id : List.of("b-l475e-0001", "b-l475e-0002", "b-l475e-0003")) {
      ca.issueDevice(id, Validity.days(30)).writePem(devices, id);
    }
    tls =
        TlsConfig.of(server.certificateChain(), server.privateKey(), ca.rootCertificateFile())
            .withClientAuth(TlsConfig.ClientAuth.OPTIONAL);
  }

  private AuditgateConfig config() {
    return AuditgateConfig.defaults()
        .withGateway(new GatewayConfig("gw-test", dir.resolve("data")))
        .withTls(tls)
        .withMqtt(new MqttConfig("127.0.0.1", 0, null, null, null, null, null, null, null, null))
        .withHttp(HttpIngestConfig.defaults().withBind("127.0.0.1", 0))
        .withDispatch(DispatchConfig.logOnly());
  }

  @Test
  void recordsItsStartStopAndCrashRecoveryInItsOwnLog() throws Exception {
    Gateway.start(config(), Clock.systemUTC()).close();
    try (Gateway gateway = Gateway.start(config(), Clock.systemUTC())) {
      // A crash is the log left without its clean-shutdown marker; simulate it by copying the
      // running gateway's log, which is what a power cut leaves behind.
      copyTree(dir.resolve("data/wal"), dir.resolve("crashed/wal"));
    }
    Files.deleteIfExists(dir.resolve("crashed/wal/LOCK"));
    AuditgateConfig afterCrash =
        AuditgateConfig.defaults()
            .withGateway(new GatewayConfig("gw-test", dir.resolve("crashed")))
            .withTls(tls)
            .withMqtt(
                new MqttConfig("127.0.0.1", 0, null, null, null, null, null, null, null, null))
            .withHttp(HttpIngestConfig.defaults().withBind("127.0.0.1", 0))
            .withDispatch(DispatchConfig.logOnly());
    Gateway.start(afterCrash, Clock.systemUTC()).close();

    assertThat(eventKinds(dir.resolve("data/wal")))
        .containsExactly("started", "stopped", "started", "stopped");
    assertThat(eventKinds(dir.resolve("crashed/wal")))
        .as("the copy was taken while running: no stop, then a recovery on the next start")
        .containsExactly("started", "stopped", "started", "recovered", "started", "stopped");
  }

  private static List<String> eventKinds(Path walDir) {
    GatewayEventCodec codec = new GatewayEventCodec();
    List<String> kinds = new ArrayList<>();
    new WalInspector(walDir)
        .dump(
            0,
            record -> {
              if (record.type() == RecordTypes.GATEWAY_EVENT) {
                GatewayEvent event = codec.decode(record.body());
                assertThat(event.gatewayId()).isEqualTo("gw-test");
                kinds.add(event.kind().wireName());
              }
              return true;
            });
    return kinds;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path source : files.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  @Test
  void everyAcknowledgedMessageFromEveryTransportIsInTheLog() throws Exception {
    SimulationReport report;
    try (Gateway gateway = Gateway.start(config(), Clock.systemUTC())) {
      SimulationPlan plan =
          new SimulationPlan(
                  3,
                  5,
                  Duration.ofSeconds(2),
                  1,
                  Endpoint.tls(
                      "localhost",
                      gateway.mqttAddress().getPort(),
                      PemCredentials.trustManagerFactory(dir.resolve("ca/root-ca.crt"))))
              .withCredentials(new Credentials.ClientCertificates(devices));
      report = new FleetSimulator(Clock.systemUTC()).run(plan, progress -> {});

      var clientTls =
          ClientTlsContexts.build(
              dir.resolve("ca/root-ca.crt"),
              devices.resolve("b-l475e-0002.crt"),
              devices.resolve("b-l475e-0002.key"),
              Optional.empty());
      HttpClient http = HttpClient.newBuilder().sslContext(clientTls.jdk()).build();
      HttpResponse<String> stored =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "https://localhost:"
                              + gateway.httpAddress().getPort()
                              + "/v1/ingest/b-l475e-0002"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"seq\":1000,\"metrics\":{\"temperature_c\":21.5}}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(stored.statusCode()).as(stored.body()).isEqualTo(202);
      HttpResponse<String> otherDevice =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "https://localhost:"
                              + gateway.httpAddress().getPort()
                              + "/v1/ingest/b-l475e-0001"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString("{\"metrics\":{\"temperature_c\":21.5}}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(otherDevice.statusCode()).as("a device cannot post as another").isEqualTo(403);
    }

    assertThat(report.totals().acknowledged()).isEqualTo(report.totals().sent()).isPositive();
    Map<String, Set<Long>> inLog = new HashMap<>();
    ObjectMapper json = new ObjectMapper();
    new WalInspector(dir.resolve("data/wal"))
        .dump(
            0,
            record -> {
              if (record.type() != RecordTypes.TELEMETRY) {
                return true; // the gateway's own lifecycle events share the log
              }
              try {
                JsonNode envelope = json.readTree(record.body());
                assertThat(envelope.get("gateway_id").asText()).isEqualTo("gw-test");
                inLog
                    .computeIfAbsent(envelope.get("device_id").asText(), k -> new HashSet<>())
                    .add(envelope.get("seq").asLong());
              } catch (java.io.IOException e) {
                throw new AssertionError(e);
              }
              return true;
            });
    assertThat(inLog.get("b-l475e-0002")).as("the HTTPS message").contains(1000L);
    inLog.get("b-l475e-0002").remove(1000L);
    for (var device : report.devices()) {
      assertThat(inLog.getOrDefault(device.deviceId(), Set.of()))
          .as("acknowledged MQTT messages of %s in the log", device.deviceId())
          .hasSize((int) device.total().acknowledged());
    }
  }

  @Test
  void refusesToStartWithoutTlsUnlessPlaintextIsChosen() {
    AuditgateConfig noTls =
        AuditgateConfig.defaults().withGateway(new GatewayConfig("gw-test", dir.resolve("data")));
    assertThatThrownBy(() -> Gateway.start(noTls, Clock.systemUTC()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("tls: no TLS material configured");
    assertThat(dir.resolve("data/wal")).as("nothing opened before the refusal").doesNotExist();
  }
}

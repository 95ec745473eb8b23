package io.auditgate.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.Validity;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.DispatchConfig;
import io.auditgate.core.config.GatewayConfig;
import io.auditgate.core.config.HttpIngestConfig;
import io.auditgate.core.config.MqttConfig;
import io.auditgate.core.config.TlsConfig;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.sim.DeviceReport;
import io.auditgate.sim.FleetSimulator;
import io.auditgate.sim.MessageKind;
import io.auditgate.sim.PemCredentials;
import io.auditgate.sim.SimulationPlan;
import io.auditgate.sim.SimulationPlan.Credentials;
import io.auditgate.sim.SimulationPlan.Endpoint;
import io.auditgate.sim.SimulationPlan.Fault;
import io.auditgate.sim.SimulationPlan.Transport;
import io.auditgate.sim.SimulationReport;
import io.auditgate.wal.WalInspector;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Simulated boards posting to the wired gateway's HTTPS ingest with their client certificates (real
 * TLS, certificates from the development CA, the log on disk): what the gateway answered 202 is
 * exactly what the log holds, and a board posting to another board's path is refused and leaves
 * nothing behind.
 */
class GatewayHttpsSimulationTest {
  private static final String FIRST = "b-l475e-0001";
  private static final String SECOND = "b-l475e-0002";

  @TempDir Path dir;

  @Test
  void everyAcceptedPostIsInTheLogAndAPostAsAnotherDeviceIsNot() throws Exception {
    DevCertificateAuthority ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), Clock.systemUTC());
    var server =
        ca.issueServer(List.of("localhost", "127.0.0.1"), Validity.days(30))
            .writePem(dir.resolve("tls"), "server");
    Path devices = dir.resolve("devices");
    for (String id : List.of(FIRST, SECOND)) {
      ca.issueDevice(id, Validity.days(30)).writePem(devices, id);
    }
    AuditgateConfig config =
        AuditgateConfig.defaults()
            .withGateway(new GatewayConfig("gw-test", dir.resolve("data")))
            .withTls(
                TlsConfig.of(
                        server.certificateChain(), server.privateKey(), ca.rootCertificateFile())
                    .withClientAuth(TlsConfig.ClientAuth.OPTIONAL))
            .withMqtt(
                new MqttConfig("127.0.0.1", 0, null, null, null, null, null, null, null, null))
            .withHttp(HttpIngestConfig.defaults().withBind("127.0.0.1", 0))
            .withDispatch(DispatchConfig.logOnly());

    SimulationReport report;
    try (Gateway gateway = Gateway.start(config, Clock.systemUTC())) {
      SimulationPlan plan =
          new SimulationPlan(
                  2,
                  5,
                  Duration.ofSeconds(1),
                  1,
                  Endpoint.tls(
                      "localhost",
                      gateway.httpAddress().getPort(),
                      PemCredentials.trustManagerFactory(dir.resolve("ca/root-ca.crt"))))
              .withTransport(Transport.HTTPS)
              .withCredentials(new Credentials.ClientCertificates(devices))
              .withFaults(List.of(new Fault.WrongTopic(FIRST, Duration.ZERO, 1)));
      report = new FleetSimulator(Clock.systemUTC()).run(plan, progress -> {});
    }

    DeviceReport first = report.device(FIRST).orElseThrow();
    DeviceReport second = report.device(SECOND).orElseThrow();
    assertThat(first.total().sent()).isEqualTo(5);
    assertThat(second.total().sent()).isEqualTo(5);
    assertThat(first.of(MessageKind.WRONG_TOPIC).sent()).isEqualTo(1);
    assertThat(first.of(MessageKind.WRONG_TOPIC).failed())
        .as("a post to another device's path is refused (403 wrong_device)")
        .isEqualTo(1);
    assertThat(first.total().acknowledged()).isEqualTo(4);
    assertThat(second.total().acknowledged()).isEqualTo(5);
    assertThat(report.totals().failed()).isEqualTo(1);
    assertThat(report.totals().unconfirmed()).as("every post got an answer").isZero();

    Map<String, List<Long>> inLog = new HashMap<>();
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
                inLog
                    .computeIfAbsent(envelope.get("device_id").asText(), k -> new ArrayList<>())
                    .add(envelope.get("seq").asLong());
              } catch (IOException e) {
                throw new AssertionError(e);
              }
              return true;
            });
    assertThat(inLog.keySet()).containsExactlyInAnyOrder(FIRST, SECOND);
    assertThat(inLog.get(FIRST))
        .as("the first board's 202s; its first reading went to the other path")
        .containsExactlyInAnyOrder(2L, 3L, 4L, 5L);
    assertThat(inLog.get(SECOND))
        .as("the second board's 202s, and nothing posted to its path by the first")
        .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
  }
}

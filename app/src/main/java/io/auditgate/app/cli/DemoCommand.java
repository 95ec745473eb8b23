package io.auditgate.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.app.config.Durations;
import io.auditgate.app.runtime.Gateway;
import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.PemFiles;
import io.auditgate.certs.Validity;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.AuthConfig;
import io.auditgate.core.config.GatewayConfig;
import io.auditgate.core.config.HttpIngestConfig;
import io.auditgate.core.config.MqttConfig;
import io.auditgate.core.config.TlsConfig;
import io.auditgate.core.wal.RecoveryReport;
import io.auditgate.sim.DeviceReport;
import io.auditgate.sim.FleetSimulator;
import io.auditgate.sim.PemCredentials;
import io.auditgate.sim.SimulationPlan;
import io.auditgate.sim.SimulationPlan.Credentials;
import io.auditgate.sim.SimulationPlan.Endpoint;
import io.auditgate.sim.SimulationReport;
import io.auditgate.wal.SegmentedWal;
import io.auditgate.wal.WalInspector;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code auditgate demo}: the pipeline as far as it exists, for real, with nothing installed.
 * Kafka, PostgreSQL and the dashboard arrive with the history and fleet issues; until then the demo
 * says so and stops at the write-ahead log.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the gateway on embedded defaults with simulated B-L475E-IOT01A boards: a development CA"
          + " issues the gateway's and each board's certificate, the boards publish telemetry over"
          + " MQTT 5 with mutual TLS, the gateway acknowledges each message only once it is durable"
          + " in its write-ahead log, then it is stopped and restarted and every acknowledged"
          + " message is reconciled per device.",
      "Not yet: Kafka and PostgreSQL history (issue 4), the dashboard (issue 5)."
    })
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--devices", description = "Simulated boards (default: ${DEFAULT-VALUE}).")
  int devices = 3;

  @Option(
      names = "--rate",
      description = "Messages per second per board (default: ${DEFAULT-VALUE}).")
  double rate = 5;

  @Option(
      names = "--duration",
      description = "How long the boards publish, e.g. 10s (default: ${DEFAULT-VALUE}).")
  String duration = "10s";

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Keep everything here (default: a temporary directory, deleted afterwards).")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    if (devices < 1 || devices > 10_000) {
      throw new IllegalArgumentException("--devices must be 1..10000, got " + devices);
    }
    Duration runFor = Durations.parse(duration);
    PrintWriter out = spec.commandLine().getOut();
    Path dir = dataDir != null ? dataDir : Files.createTempDirectory("auditgate-demo-");
    Clock clock = Clock.systemUTC();
    out.println("auditgate demo: boards -> MQTT 5 over mTLS -> gateway -> write-ahead log (fsync)");
    out.println("  not yet: Kafka and PostgreSQL history (issue 4), the dashboard (issue 5)");
    out.printf("  data directory: %s%n", dir);

    SimulationPlan plan =
        new SimulationPlan(devices, rate, runFor, 1, Endpoint.plaintext("localhost", 1));
    TlsConfig tls = issueIdentities(dir, plan.deviceIds(), out);
    AuditgateConfig config =
        new AuditgateConfig(
            new GatewayConfig("demo-gateway", dir),
            null,
            null,
            AuthConfig.defaults(),
            tls,
            new MqttConfig("127.0.0.1", 0, null, null, null, null, null, null, null, null),
            HttpIngestConfig.defaults().withBind("127.0.0.1", 0),
            null);

    SimulationReport report;
    try (Gateway gateway = Gateway.start(config, clock)) {
      int port = gateway.mqttAddress().getPort();
      out.printf(
          "  gateway up: mqtts://127.0.0.1:%d, https://127.0.0.1:%d%n",
          port, gateway.httpAddress().getPort());
      out.printf(
          "  %d boards publishing at %.1f msg/s each for %s...%n",
          devices, rate, Durations.format(runFor));
      out.flush();
      SimulationPlan run =
          new SimulationPlan(
                  devices,
                  rate,
                  runFor,
                  1,
                  Endpoint.tls(
                      "localhost",
                      port,
                      PemCredentials.trustManagerFactory(dir.resolve("ca/root-ca.crt"))))
              .withCredentials(new Credentials.ClientCertificates(dir.resolve("devices")));
      report =
          new FleetSimulator(clock)
              .run(
                  run,
                  p -> {
                    var wal = gateway.wal().metrics();
                    out.printf(
                        "  %5.1fs  %d connected, %,d sent, %,d acknowledged; log: %,d durable in %,d forces%n",
                        p.elapsed().toMillis() / 1000.0,
                        p.connected(),
                        p.sent(),
                        p.acknowledged(),
                        wal.durableEndOffset(),
                        wal.batches());
                    out.flush();
                  });
      out.println("stopping the gateway...");
    }
    try (SegmentedWal reopened =
        SegmentedWal.open(dir.resolve("wal"), config.wal(), clock, e -> {})) {
      RecoveryReport recovery = reopened.recoveryReport();
      out.printf(
          "restarted: %s shutdown, %,d records held, %d bytes cut%n",
          recovery.cleanShutdown() ? "clean" : "unclean",
          recovery.records(),
          recovery.bytesTruncated());
    }
    long lost = reconcile(report, dir.resolve("wal"), out);
    if (dataDir == null) {
      deleteTree(dir);
    } else {
      out.printf("inspect the log with: ./auditgate wal inspect %s%n", dir.resolve("wal"));
    }
    out.flush();
    return lost == 0 ? 0 : 1;
  }

  /** Creates the CA, the gateway's server certificate and one client certificate per board. */
  private static TlsConfig issueIdentities(Path dir, List<String> deviceIds, PrintWriter out) {
    DevCertificateAuthority ca =
        DevCertificateAuthority.existsIn(dir.resolve("ca"))
            ? DevCertificateAuthority.load(dir.resolve("ca"), Optional.empty(), Clock.systemUTC())
                .orElseThrow()
            : DevCertificateAuthority.create(
                dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), Clock.systemUTC());
    PemFiles server =
        ca.issueServer(List.of("localhost", "127.0.0.1"), Validity.days(30))
            .writePem(dir.resolve("tls"), "server");
    for (String id : deviceIds) {
      ca.issueDevice(id, Validity.days(30)).writePem(dir.resolve("devices"), id);
    }
    out.printf(
        "  development CA issued the gateway's certificate and %d board certificates%n",
        deviceIds.size());
    return TlsConfig.of(server.certificateChain(), server.privateKey(), ca.rootCertificateFile());
  }

  /**
   * Per device: what was sent, acknowledged, and found in the log; returns
   * acknowledged-but-missing.
   */
  private static long reconcile(SimulationReport report, Path walDir, PrintWriter out) {
    Map<String, Set<Long>> seqs = new HashMap<>();
    Map<String, Long> duplicates = new HashMap<>();
    ObjectMapper json = new ObjectMapper();
    new WalInspector(walDir)
        .dump(
            0,
            record -> {
              try {
                JsonNode envelope = json.readTree(record.body());
                String device = envelope.path("device_id").asText();
                if (!seqs.computeIfAbsent(device, k -> new HashSet<>())
                    .add(envelope.path("seq").asLong())) {
                  duplicates.merge(device, 1L, Long::sum);
                }
              } catch (IOException e) {
                throw new IllegalStateException(
                    "record " + record.offset() + " is not an envelope", e);
              }
              return true;
            });
    out.println();
    out.printf(
        "%-14s %8s %13s %8s %6s %11s%n",
        "device", "sent", "acknowledged", "in log", "lost", "duplicates");
    long lostTotal = 0;
    for (DeviceReport device : report.devices()) {
      long acked = device.total().acknowledged();
      long stored = seqs.getOrDefault(device.deviceId(), Set.of()).size();
      long lost = Math.max(0, acked - stored);
      lostTotal += lost;
      out.printf(
          "%-14s %8d %13d %8d %6d %11d%n",
          device.deviceId(),
          device.total().sent(),
          acked,
          stored,
          lost,
          duplicates.getOrDefault(device.deviceId(), 0L));
    }
    out.println();
    out.println(
        lostTotal == 0
            ? "every acknowledged message is in the log."
            : "LOST " + lostTotal + " acknowledged messages");
    return lostTotal;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

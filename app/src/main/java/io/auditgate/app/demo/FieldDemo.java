package io.auditgate.app.demo;

import io.auditgate.app.config.Durations;
import io.auditgate.app.runtime.GatewayProcess;
import io.auditgate.app.runtime.Node;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.CertificatesConfig;
import io.auditgate.core.config.EnrolmentConfig;
import io.auditgate.core.config.GatewayConfig;
import io.auditgate.core.config.KafkaConfig;
import io.auditgate.core.config.StoreConsumerConfig;
import io.auditgate.core.config.TlsConfig;
import io.auditgate.core.config.WebConfig;
import io.auditgate.embedded.EmbeddedKafka;
import io.auditgate.embedded.LoopbackPorts;
import io.auditgate.sim.FleetSimulator;
import io.auditgate.sim.PemCredentials;
import io.auditgate.sim.SimulationPlan;
import io.auditgate.sim.SimulationPlan.Credentials;
import io.auditgate.sim.SimulationPlan.Endpoint;
import io.auditgate.sim.SimulationProgress;
import io.auditgate.sim.SimulationReport;
import io.auditgate.store.StoreOptions;
import io.auditgate.store.StoreQueries;
import io.auditgate.web.tokens.ApiTokens;
import io.auditgate.web.tokens.Scope;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The seed's field demo, for real and with nothing installed: a Kafka broker (KRaft) and a
 * PostgreSQL started in this JVM, the store consumer writing Kafka into PostgreSQL, a gateway in a
 * child process, and simulated boards publishing to it over MQTT 5 with mutual TLS. Part-way
 * through, Kafka goes away and comes back (the gateway's log holds the backlog, then drains it),
 * and then the gateway is killed with SIGKILL and started again on the same log. At the end every
 * acknowledged message is looked for in the database, per device.
 */
public final class FieldDemo implements AutoCloseable {
  /** When things happen, as fractions of the publishing time. */
  private static final double KAFKA_DOWN_AT = 0.20;

  private static final double KAFKA_UP_AT = 0.45;
  private static final double GATEWAY_KILLED_AT = 0.60;
  private static final double GATEWAY_BACK_AT = 0.68;
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration EVIDENCE_TIMEOUT = Duration.ofSeconds(30);

  /** What to run. */
  public record Options(int devices, double ratePerDevice, Duration duration, Path dir) {}

  private final Options options;
  private final PrintWriter out;
  private final Clock clock;
  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private Optional<String> dashboardUrl = Optional.empty();

  public FieldDemo(Options options, PrintWriter out, Clock clock) {
    this.options = options;
    this.out = out;
    this.clock = clock;
  }

  /** The dashboard's address with a read token in its fragment, once {@link #run} started it. */
  public Optional<String> dashboardUrl() {
    return dashboardUrl;
  }

  private String readToken(Node store) {
    try (ApiTokens tokens = new ApiTokens(store.storeOptions().orElseThrow(), clock)) {
      return tokens.create("demo dashboard", Set.of(Scope.READ)).secret();
    }
  }

  /** Runs the demo; returns the reconciliation (zero lost and zero duplicates is success). */
  public Reconciliation run() throws Exception {
    Path dir = options.dir();
    say("auditgate demo: boards -mqtt/mTLS-> gateway -> write-ahead log -> Kafka -> PostgreSQL");
    say("  data directory: %s", dir);
    List<String> ids = deviceIds();
    DevIdentities identities = DevIdentities.issue(dir, ids, clock, DemoCertificates.expiring(ids));
    say(
        "  development CA issued the gateway's certificate and %d board certificates",
        options.devices());

    EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
    running.push(kafka);
    say("  Kafka (KRaft, in-process) at %s", kafka.bootstrapServers());

    AuditgateConfig storeRole =
        AuditgateConfig.defaults()
            .withGateway(new GatewayConfig("demo-store", dir, false))
            .withKafka(KafkaConfig.defaults().withBootstrapServers(kafka.bootstrapServers()))
            .withConsumer(new StoreConsumerConfig(true, null, null))
            // The control plane's dashboard, over TLS with the development CA's server certificate.
            .withTls(
                TlsConfig.of(
                        identities.server().certificateChain(),
                        identities.server().privateKey(),
                        identities.rootCa())
                    .withClientAuth(TlsConfig.ClientAuth.NONE))
            .withWeb(WebConfig.defaults().withBind("127.0.0.1", 0))
            // The certificate control plane over the development CA: inventory, CRL, alerts.
            .withCertificates(
                CertificatesConfig.defaults()
                    .withEnrolment(
                        EnrolmentConfig.defaults().withEnabled(true).withCaDir(dir.resolve("ca"))));
    Node store = Node.start(storeRole, clock);
    running.push(store);
    String jdbcUrl = store.storeUrl().orElseThrow();
    StoreQueries queries = new StoreQueries(StoreOptions.of(jdbcUrl, "postgres", "postgres"));
    say("  PostgreSQL (embedded, fsync on) at %s, store consumer running", jdbcUrl);
    DemoCertificates.expiring(ids)
        .ifPresent(id -> say("  certificates: %s's expires in 10 days", id));
    DemoCertificates.revoked(ids)
        .ifPresent(
            id ->
                say(
                    "  certificates: revoked as compromised: %s",
                    DemoCertificates.revoke(store, identities.devices(), id)));
    dashboardUrl = store.web().map(web -> web.baseUrl() + "/dashboard/#token=" + readToken(store));
    dashboardUrl.ifPresent(
        url -> {
          say("  dashboard (read token, trust %s or accept the warning):", identities.rootCa());
          say("    %s", url);
        });

    int mqttPort = LoopbackPorts.free();
    Path config = writeGatewayConfig(dir, identities, kafka.bootstrapServers(), mqttPort);
    GatewayProcess gateway =
        new GatewayProcess(
            config,
            dir.resolve("gateway.log"),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), mqttPort));
    running.push(gateway);
    gateway.start(Duration.ofSeconds(60));
    say(
        "  gateway (child process, log in %s) listening on mqtts://127.0.0.1:%d",
        gateway.logFile(), mqttPort);

    SimulationPlan plan =
        new SimulationPlan(
                options.devices(),
                options.ratePerDevice(),
                options.duration(),
                1,
                Endpoint.tls(
                    "localhost", mqttPort, PemCredentials.trustManagerFactory(identities.rootCa())))
            .withCredentials(new Credentials.ClientCertificates(identities.devices()));
    say(
        "  %d boards publishing at %.1f msg/s each for %s; Kafka stops at %.0f%%, returns at %.0f%%;"
            + " the gateway is killed at %.0f%% and restarted at %.0f%%",
        options.devices(),
        options.ratePerDevice(),
        Durations.format(options.duration()),
        KAFKA_DOWN_AT * 100,
        KAFKA_UP_AT * 100,
        GATEWAY_KILLED_AT * 100,
        GATEWAY_BACK_AT * 100);
    say("");
    say("  %6s  %-22s %9s %9s %9s %9s", "time", "stage", "sent", "acked", "stored", "backlog");

    // The simulator reports progress about once a second on its own thread; the staging (which
    // blocks for seconds while Kafka or the gateway stops and starts) runs here instead.
    AtomicReference<SimulationProgress> latest = new AtomicReference<>();
    CompletableFuture<SimulationReport> simulation =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new FleetSimulator(clock).run(plan, latest::set);
              } catch (Exception e) {
                throw new IllegalStateException("the simulation failed: " + e.getMessage(), e);
              }
            });
    Staging staging = new Staging(kafka, gateway);
    SimulationProgress shown = null;
    while (!simulation.isDone()) {
      Thread.sleep(200);
      SimulationProgress progress = latest.get();
      if (progress != null && progress != shown) {
        shown = progress;
        String stage = staging.advance(progress.elapsed());
        progressLine(progress, stage, queries);
      }
    }
    SimulationReport report = simulation.join();
    Instant boardsStopped = clock.instant();
    staging.finish();

    long acknowledged = report.totals().acknowledged();
    say("  boards stopped; waiting for the backlog to reach the database...");
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    Reconciliation reconciliation = Reconciliation.of(report, queries);
    while (!reconciliation.complete() && System.nanoTime() < deadline) {
      Thread.sleep(1_000);
      reconciliation = Reconciliation.of(report, queries);
      say(
          "  %6s  %-22s %9s %,9d %,9d %,9d",
          "",
          "draining",
          "",
          acknowledged,
          reconciliation.storedTotal(),
          Math.max(0, acknowledged - reconciliation.storedTotal()));
    }
    say("");
    out.print(reconciliation.toTable());
    say("");
    say("gateway events in the store (evidence of what happened):");
    List<StoreQueries.StoredGatewayEvent> events = gatewayEvents(queries, boardsStopped);
    long heartbeats = events.stream().filter(e -> e.kind().equals("heartbeat")).count();
    for (StoreQueries.StoredGatewayEvent event : events) {
      if (!event.kind().equals("heartbeat")) {
        say("  %s  %-20s %s", event.at(), event.kind(), event.attributesJson());
      }
    }
    say("  (and %d heartbeats with the backlog figures)", heartbeats);
    say("");
    DemoCertificates.posture(
            store, DemoCertificates.revoked(ids).isPresent(), Duration.ofSeconds(30))
        .ifPresent(p -> say("certificate posture: %s", DemoCertificates.describe(p)));
    dashboardUrl.ifPresent(url -> say("dashboard: %s", url));
    out.flush();
    return reconciliation;
  }

  /**
   * The gateway's events once they have all arrived. Events travel the log in order, so when a
   * heartbeat written after the boards stopped is in the store, every earlier event is too.
   */
  private static List<StoreQueries.StoredGatewayEvent> gatewayEvents(
      StoreQueries queries, Instant boardsStopped) throws InterruptedException {
    long deadline = System.nanoTime() + EVIDENCE_TIMEOUT.toNanos();
    List<StoreQueries.StoredGatewayEvent> events = queries.gatewayEvents("demo-gateway", 10_000);
    while (events.stream()
            .noneMatch(e -> e.kind().equals("heartbeat") && e.at().isAfter(boardsStopped))
        && System.nanoTime() < deadline) {
      Thread.sleep(500);
      events = queries.gatewayEvents("demo-gateway", 10_000);
    }
    return events;
  }

  private void progressLine(SimulationProgress progress, String stage, StoreQueries queries) {
    long stored;
    try {
      stored = queries.telemetryMessageCount();
    } catch (RuntimeException e) {
      stored = -1;
    }
    say(
        "  %5.0fs  %-22s %,9d %,9d %,9d %,9d",
        progress.elapsed().toMillis() / 1000.0,
        stage,
        progress.sent(),
        progress.acknowledged(),
        stored,
        Math.max(0, progress.acknowledged() - stored));
  }

  /** Moves the staged outages along as the run's time passes; called about once a second. */
  private final class Staging {
    private final EmbeddedKafka kafka;
    private final GatewayProcess gateway;
    private int step;

    Staging(EmbeddedKafka kafka, GatewayProcess gateway) {
      this.kafka = kafka;
      this.gateway = gateway;
    }

    synchronized String advance(Duration elapsed) {
      double at = (double) elapsed.toMillis() / options.duration().toMillis();
      if (step == 0 && at >= KAFKA_DOWN_AT) {
        kafka.stop();
        step++;
      }
      if (step == 1 && at >= KAFKA_UP_AT) {
        kafka.restart();
        step++;
      }
      if (step == 2 && at >= GATEWAY_KILLED_AT) {
        gateway.kill();
        step++;
      }
      if (step == 3 && at >= GATEWAY_BACK_AT) {
        gateway.start(Duration.ofSeconds(60));
        step++;
      }
      return switch (step) {
        case 0 -> "steady";
        case 1 -> "Kafka down";
        case 2 -> "Kafka back, draining";
        case 3 -> "gateway killed (-9)";
        default -> "gateway restarted";
      };
    }

    /** Whatever the timing, the run ends with everything up. */
    synchronized void finish() {
      if (!kafka.running()) {
        kafka.restart();
      }
      if (!gateway.alive()) {
        gateway.start(Duration.ofSeconds(60));
      }
    }
  }

  private List<String> deviceIds() {
    return new SimulationPlan(
            options.devices(),
            options.ratePerDevice(),
            options.duration(),
            1,
            Endpoint.plaintext("localhost", 1))
        .deviceIds();
  }

  private static Path writeGatewayConfig(
      Path dir, DevIdentities identities, String bootstrap, int mqttPort) throws IOException {
    String yaml =
        String.join(
            "\n",
            "# written by ./auditgate demo",
            "gateway:",
            "  id: demo-gateway",
            "  data_dir: " + dir.resolve("gateway"),
            "tls:",
            "  certificate_chain: " + identities.server().certificateChain(),
            "  private_key: " + identities.server().privateKey(),
            "  client_ca_bundle: " + identities.rootCa(),
            "mqtt:",
            "  bind_host: 127.0.0.1",
            "  port: " + mqttPort,
            "http:",
            "  bind_host: 127.0.0.1",
            "  port: 0",
            "kafka:",
            "  bootstrap_servers: " + bootstrap,
            "  delivery_timeout: 5s", // see the outage within seconds on stage
            "dispatch:",
            "  retry_max_delay: 2s",
            "  heartbeat_interval: 5s",
            "");
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private void say(String format, Object... args) {
    out.printf(format + "%n", args);
    out.flush();
  }

  /** Stops the gateway, the consumer and PostgreSQL, then Kafka; safe to call twice. */
  @Override
  public synchronized void close() {
    while (!running.isEmpty()) {
      try {
        running.pop().close();
      } catch (Exception e) {
        out.printf("  while stopping: %s%n", e);
      }
    }
    out.flush();
  }
}

package io.auditgate.app.runtime;

import io.auditgate.app.observability.FleetGauges;
import io.auditgate.app.observability.HealthChecks;
import io.auditgate.app.observability.PrometheusMetrics;
import io.auditgate.app.observability.ReadModelFleetGauges;
import io.auditgate.app.tracing.OtelStageTracer;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.DispatchConfig;
import io.auditgate.core.config.KafkaConfig;
import io.auditgate.core.trace.StageTracer;
import io.auditgate.fleet.CloseableFleetReadModel;
import io.auditgate.fleet.Fleet;
import io.auditgate.fleet.FleetStateMonitor;
import io.auditgate.store.StoreConsumer;
import io.auditgate.store.StoreConsumerOptions;
import io.auditgate.store.StoreOptions;
import io.auditgate.web.tokens.FailedTokenAttempts;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One auditgate process with the roles its configuration enables: the gateway (log, listeners,
 * dispatcher) and the store consumer (Kafka → PostgreSQL/TimescaleDB). When both need the store
 * they share one database connection set-up (and, embedded, one PostgreSQL). A process with a store
 * also runs the fleet state monitor over it (several may: they take turns by advisory lock) and
 * serves the web API and dashboard ({@code web} section); a process without one serves only {@code
 * /metrics}, {@code /healthz} and {@code /readyz}, and only when {@code web.tokens_file} is set.
 */
public final class Node implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Node.class);

  /** The fleet gauges re-read the summary at most this often, whatever the scrape interval. */
  private static final Duration FLEET_GAUGES_MAX_AGE = Duration.ofSeconds(15);

  private final List<AutoCloseable> started = new ArrayList<>();
  private Optional<StoreRuntime> store = Optional.empty();
  private Optional<StoreConsumer> consumer = Optional.empty();
  private Optional<Gateway> gateway = Optional.empty();
  private Optional<FleetStateMonitor> fleetMonitor = Optional.empty();
  private Optional<CertificateInventoryRuntime> certificates = Optional.empty();
  private Optional<ReplacementRuntime> replacement = Optional.empty();
  private Optional<CertificateControlPlane> certificateControlPlane = Optional.empty();
  private Optional<WebRuntime> web = Optional.empty();
  private Optional<RenewalCommands> renewals = Optional.empty();

  private Node() {}

  /**
   * Starts the enabled roles: the store and its consumer first, so the gateway's first records have
   * somewhere to go.
   */
  public static Node start(AuditgateConfig config, Clock clock) {
    Node node = new Node();
    try {
      StageTracer tracer = OtelStageTracer.from(config.tracing());
      if (tracer instanceof AutoCloseable exporter) {
        // Closed last: after every role stopped, what they traced is flushed.
        node.started.add(exporter);
        log.info(
            "tracing to {} (sample ratio {})",
            config.tracing().otlpEndpoint().orElseThrow(),
            config.tracing().sampleRatio());
      }
      if (config.consumer().enabled()) {
        StoreRuntime store = StoreRuntime.open(config, clock);
        node.started.add(store);
        node.store = Optional.of(store);
        StoreConsumer consumer =
            new StoreConsumer(consumerOptions(config), store.newWriter(), tracer, clock);
        consumer.start();
        node.started.add(consumer);
        node.consumer = Optional.of(consumer);
        log.info(
            "store consumer {} reading {}",
            config.consumer().groupId(),
            config.kafka().bootstrapServers().orElseThrow());
      }
      if (node.store.isEmpty() && gatewayWritesStore(config)) {
        // Opened here rather than by the gateway so that the fleet monitor can share it.
        StoreRuntime store = StoreRuntime.open(config, clock);
        node.started.add(store);
        node.store = Optional.of(store);
      }
      if (config.gateway().enabled()) {
        Gateway gateway =
            node.store.isPresent()
                ? Gateway.start(config, clock, node.store.get(), tracer)
                : Gateway.start(config, clock, tracer);
        node.started.add(gateway);
        node.gateway = Optional.of(gateway);
      }
      if (node.store.isPresent()) {
        FleetStateMonitor monitor =
            new FleetStateMonitor(
                node.store.get().options(),
                clock,
                new FleetStateMonitor.Settings(
                    config.fleet().evaluationInterval(),
                    config.dispatch().heartbeatInterval(),
                    config.fleet().restartWindow()));
        monitor.start();
        node.started.add(monitor);
        node.fleetMonitor = Optional.of(monitor);
        CertificateControlPlane certificates =
            CertificateControlPlane.start(config, node.store.get().options(), clock);
        node.started.add(certificates);
        node.certificateControlPlane = Optional.of(certificates);
        node.certificates = Optional.of(certificates.inventory());
        node.replacement =
            Optional.of(
                ReplacementRuntime.start(
                    config,
                    node.store.get().options(),
                    clock,
                    certificates.inventory().inventory(),
                    node::renewalCommands));
        certificates.revocations().ifPresent(node.replacement.get()::useRevocations);
        node.started.add(node.replacement.get());
      }
      FailedTokenAttempts attempts =
          new FailedTokenAttempts(
              config.web().maxFailedTokenAttempts(),
              config.web().failedTokenAttemptsWindow(),
              clock);
      if (config.web().enabled() && node.store.isPresent()) {
        StoreOptions options = node.store.get().options();
        // One pool for the API, the dashboard and the gauges; closed after the web server.
        CloseableFleetReadModel reads =
            Fleet.pooledReadModel(options, clock, config.fleet().readPoolSize());
        node.started.add(reads);
        FleetGauges gauges = new ReadModelFleetGauges(reads, clock, FLEET_GAUGES_MAX_AGE);
        node.web =
            WebRuntime.start(
                config,
                options,
                reads,
                clock,
                PrometheusMetrics.forNode(node, config, clock, gauges, attempts),
                HealthChecks.forNode(node, config),
                attempts,
                java.util.stream.Stream.concat(
                        node
                            .certificateControlPlane
                            .map(CertificateControlPlane::routes)
                            .orElse(List.of())
                            .stream(),
                        node.replacement.map(ReplacementRuntime::routes).orElse(List.of()).stream())
                    .toList(),
                node.certificateControlPlane.flatMap(CertificateControlPlane::enrolmentHooks));
        node.web.ifPresent(node.started::add);
      } else if (config.web().enabled()) {
        // No store: the operations endpoints only, opted into by web.tokens_file.
        node.web =
            WebRuntime.startOpsOnly(
                config,
                PrometheusMetrics.forNode(node, config, clock, FleetGauges.NONE, attempts),
                HealthChecks.forNode(node, config),
                attempts);
        node.web.ifPresent(node.started::add);
      }
      node.renewals = renewalCommands(node, clock);
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
    return node;
  }

  /** Whether the gateway role sends its log to the store directly (edge mode, no Kafka). */
  static boolean gatewayWritesStore(AuditgateConfig config) {
    if (!config.gateway().enabled()) {
      return false;
    }
    DispatchConfig.Sink sink = config.dispatch().sink();
    return sink == DispatchConfig.Sink.STORE
        || (sink == DispatchConfig.Sink.AUTO && !config.kafka().enabled());
  }

  static StoreConsumerOptions consumerOptions(AuditgateConfig config) {
    KafkaConfig kafka = config.kafka();
    return new StoreConsumerOptions(
        kafka.bootstrapServers().orElseThrow(),
        config.consumer().groupId(),
        List.of(
            kafka.telemetryTopic(),
            kafka.deviceEventsTopic(),
            kafka.firmwareStateTopic(),
            kafka.gatewayEventsTopic()),
        kafka.gatewayEventsTopic(),
        kafka.deadLetterTopic(),
        config.consumer().maxBatchRecords(),
        Duration.ofMillis(500),
        Duration.ofMillis(100),
        Duration.ofSeconds(30),
        withDefault(
            kafka.clientProperties(),
            // A group subscribed before the gateways created their topics would otherwise see
            // them only at the next metadata refresh, five minutes later by default.
            "metadata.max.age.ms",
            "10000"));
  }

  private static Map<String, String> withDefault(
      Map<String, String> properties, String key, String value) {
    Map<String, String> merged = new HashMap<>(properties);
    merged.putIfAbsent(key, value);
    return merged;
  }

  /** Commands to connected devices to renew over EST, when this node has a gateway and EST. */
  static Optional<RenewalCommands> renewalCommands(Node node, Clock clock) {
    return node.gateway.flatMap(
        g ->
            node.web
                .flatMap(WebRuntime::renewalRequests)
                .map(requests -> new RenewalCommands(g.commands(), requests, clock)));
  }

  /** Asks devices connected here to re-enrol (MQTT command, EST answer), when EST is served. */
  public Optional<RenewalCommands> renewalCommands() {
    return renewals;
  }

  public Optional<Gateway> gateway() {
    return gateway;
  }

  public Optional<StoreConsumer> consumer() {
    return consumer;
  }

  /** The web server (API, dashboard, /metrics), when this node serves it. */
  public Optional<WebRuntime> web() {
    return web;
  }

  /** The fleet state monitor, when this process has a store. */
  public Optional<FleetStateMonitor> fleetMonitor() {
    return fleetMonitor;
  }

  /** The certificate inventory, when this process has a store. */
  public Optional<CertificateInventoryRuntime> certificates() {
    return certificates;
  }

  /** The certificate replacement workflow, when this process has a store. */
  public Optional<ReplacementRuntime> replacement() {
    return replacement;
  }

  /**
   * The certificate control plane (inventory, revocation, alerts), when this process has a store.
   */
  public Optional<CertificateControlPlane> certificateControlPlane() {
    return certificateControlPlane;
  }

  /** The store's connection settings, when this process has a store. */
  public Optional<io.auditgate.store.StoreOptions> storeOptions() {
    return store.map(StoreRuntime::options);
  }

  /** The store's JDBC URL, when this process runs a role that writes to it. */
  public Optional<String> storeUrl() {
    return store.map(s -> s.options().jdbcUrl()).or(() -> gateway.flatMap(Gateway::storeUrl));
  }

  /** Stops the roles in reverse order; idempotent. */
  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        log.warn("stopping {}: {}", started.get(i), e.toString());
      }
    }
    started.clear();
  }
}

package io.auditgate.app.runtime;

import io.auditgate.app.health.Checks;
import io.auditgate.app.health.DiskSpace;
import io.auditgate.app.revocation.GatewayRevocation;
import io.auditgate.core.AuditgateException;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.ConfigException;
import io.auditgate.core.config.DispatchConfig;
import io.auditgate.core.ops.HealthCheck;
import io.auditgate.core.sink.TelemetrySink;
import io.auditgate.core.trace.StageTracer;
import io.auditgate.core.wal.WalEvent;
import io.auditgate.envelope.GatewayEvent;
import io.auditgate.ingest.auth.CertificateBindings;
import io.auditgate.ingest.auth.CertificateBindingsFile;
import io.auditgate.ingest.auth.RegistryAuthenticator;
import io.auditgate.ingest.auth.RevocableSessions;
import io.auditgate.ingest.auth.RevocationCheck;
import io.auditgate.ingest.bridge.BridgeMetrics;
import io.auditgate.ingest.bridge.BrokerBridge;
import io.auditgate.ingest.http.HttpIngestMetrics;
import io.auditgate.ingest.http.HttpIngestServer;
import io.auditgate.ingest.http.Readiness;
import io.auditgate.ingest.mqtt.CommandPublisher;
import io.auditgate.ingest.mqtt.MqttListener;
import io.auditgate.ingest.mqtt.MqttMetrics;
import io.auditgate.ingest.pipeline.IngestPipeline;
import io.auditgate.ingest.pipeline.TraceIds;
import io.auditgate.ingest.tls.ServerTlsContexts;
import io.auditgate.pipeline.Dispatcher;
import io.auditgate.pipeline.DispatcherListener;
import io.auditgate.pipeline.DispatcherSettings;
import io.auditgate.pipeline.KafkaSink;
import io.auditgate.pipeline.KafkaSinkSettings;
import io.auditgate.pipeline.SinkMetrics;
import io.auditgate.store.DirectStoreSink;
import io.auditgate.wal.SegmentedWal;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway process: the write-ahead log, the ingest pipeline in front of it, and the device
 * listeners in front of that. Starts in data-flow order and stops in reverse, so nothing is
 * accepted that the log could no longer store.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);
  private static final Duration STOP_DRAIN = Duration.ofSeconds(3);

  private final SegmentedWal wal;
  private final GatewayEventLog events;
  private final Optional<Dispatcher> dispatcher;
  private Optional<String> storeUrl = Optional.empty();
  private final ExecutorService deadLetterWriter;
  private final IngestPipeline pipeline;
  private final HttpIngestServer http;
  private final MqttListener mqtt;
  private final boolean mqttTls;
  private Optional<BrokerBridge> bridge = Optional.empty();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final GatewayRevocation revocation;
  private final List<AutoCloseable> started = new ArrayList<>();
  // Set at the end of construction; the HTTP ingest's /readyz reads it, and probes only arrive
  // once the listener is started, by then every check's component exists.
  private volatile List<HealthCheck> readinessChecks = List.of();

  private Gateway(
      AuditgateConfig config, Clock clock, Optional<StoreRuntime> sharedStore, StageTracer tracer) {
    // Everything that can be refused for its configuration is checked before the log is opened.
    this.revocation =
        GatewayRevocation.fromConfig(config.certificates().revocation(), config.tls());
    Optional<SslContext> tls = tlsContext(config, revocation.check());
    this.mqttTls = !config.mqtt().plaintext();
    try {
      this.wal =
          SegmentedWal.open(config.gateway().walDir(), config.wal(), clock, Gateway::logWalEvent);
      started.add(wal);
      this.events = new GatewayEventLog(wal, config.gateway().id(), clock);
      events.started(wal.recoveryReport());
      this.dispatcher = startDispatcher(config, clock, sharedStore, tracer);
      // Closed in reverse order: after the listeners and the heartbeat stop, the stop is recorded
      // and given a moment to reach the sink, then the dispatcher, the sink and the log close.
      started.add(this::recordStop);
      dispatcher.ifPresent(running -> startHeartbeat(running, config.dispatch()));
      // Dead-letter writes wait for a force; they get their own thread and a bounded queue, so a
      // flood of garbage turns into "busy" answers instead of an unbounded backlog.
      this.deadLetterWriter =
          new ThreadPoolExecutor(
              1,
              1,
              0,
              TimeUnit.MILLISECONDS,
              new ArrayBlockingQueue<>(10_000),
              r -> new Thread(r, "dead-letter-writer"),
              new ThreadPoolExecutor.AbortPolicy());
      started.add(deadLetterWriter::shutdown);
      this.pipeline =
          new IngestPipeline(
              wal,
              config.gateway().id(),
              clock,
              TraceIds.random(),
              config.ingest(),
              deadLetterWriter,
              tracer);
      RegistryAuthenticator authenticator =
          RegistryAuthenticator.fromConfig(
              config.auth(), certificateBindings(config), revocation.check(), clock);
      this.mqtt =
          new MqttListener(
              config.mqtt(),
              mqttTls ? tls : Optional.empty(),
              authenticator,
              pipeline,
              clock,
              config.gateway().id());
      startListener("MQTT", config.mqtt().port(), mqtt::start);
      started.add(mqtt);
      this.http =
          new HttpIngestServer(config.http(), tls, authenticator, pipeline, readiness(), clock);
      startListener("HTTPS ingest", config.http().port(), http::start);
      started.add(http);
      // Closed before the listeners (reverse order), so no sweep runs against a stopped one.
      revocation.start(
          List.of(
              new RevocableSessions("mqtt", mqtt::dropRevoked),
              new RevocableSessions("https", http::dropRevoked)));
      started.add(revocation);
      if (config.bridge().enabled()) {
        BrokerBridge bridge = new BrokerBridge(config.bridge(), pipeline, clock);
        // Connecting may wait for the site broker to come up; the bridge keeps retrying.
        bridge.start();
        started.add(bridge);
        this.bridge = Optional.of(bridge);
      }
      this.readinessChecks = buildReadinessChecks(config, clock);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private static CertificateBindings certificateBindings(AuditgateConfig config) {
    try {
      return config
          .auth()
          .optionalCertificateBindingsFile()
          .map(CertificateBindingsFile::read)
          .orElse(CertificateBindings.none());
    } catch (ConfigException e) {
      throw e.under("auth");
    }
  }

  /** Starts a listener, naming it and its port if that fails (Netty's BindException names none). */
  private static void startListener(String name, int port, Runnable start) {
    try {
      start.run();
    } catch (Exception e) { // Netty rethrows the checked BindException undeclared
      throw new AuditgateException(
          "cannot start the " + name + " listener on port " + port + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens the log and starts the listeners the configuration describes.
   *
   * @throws ConfigException naming the key when the configuration cannot work (for example a
   *     listener without TLS material and without its plaintext opt-in)
   */
  public static Gateway start(AuditgateConfig config, Clock clock) {
    return new Gateway(config, clock, Optional.empty(), StageTracer.NOOP);
  }

  /**
   * The same, recording each message's ingest and dispatch stages on {@code tracer} (which the
   * caller closes after the gateway).
   */
  public static Gateway start(AuditgateConfig config, Clock clock, StageTracer tracer) {
    return new Gateway(config, clock, Optional.empty(), tracer);
  }

  /** The same, writing to {@code store} when the configuration sends the log to the store. */
  static Gateway start(
      AuditgateConfig config, Clock clock, StoreRuntime store, StageTracer tracer) {
    return new Gateway(config, clock, Optional.of(store), tracer);
  }

  /**
   * Starts forwarding the log to the configured sink, with lifecycle events and heartbeats; none
   * when {@code dispatch.sink} is {@code none}.
   */
  private Optional<Dispatcher> startDispatcher(
      AuditgateConfig config, Clock clock, Optional<StoreRuntime> sharedStore, StageTracer tracer) {
    DispatchConfig dispatch = config.dispatch();
    DispatchConfig.Sink choice = dispatch.sink();
    if (choice == DispatchConfig.Sink.AUTO) {
      choice = config.kafka().enabled() ? DispatchConfig.Sink.KAFKA : DispatchConfig.Sink.STORE;
    }
    TelemetrySink sink;
    switch (choice) {
      case NONE -> {
        log.warn("dispatch.sink is none: records stay in the log until replayed");
        return Optional.empty();
      }
      case KAFKA -> {
        if (!config.kafka().enabled()) {
          throw new ConfigException("dispatch.sink", "kafka needs kafka.bootstrap_servers");
        }
        sink =
            new KafkaSink(
                KafkaSinkSettings.from(config.kafka(), "auditgate-" + config.gateway().id()));
      }
      default -> {
        StoreRuntime store;
        if (sharedStore.isPresent()) {
          store = sharedStore.get();
        } else {
          store = StoreRuntime.open(config, clock);
          started.add(store);
        }
        sink =
            new DirectStoreSink(
                config.gateway().id(), store.newWriter(), dispatch.maxBatchRecords());
        storeUrl = Optional.of(store.options().jdbcUrl());
      }
    }
    started.add(sink);
    Dispatcher running =
        Dispatcher.start(
            wal,
            List.of(sink),
            DispatcherSettings.from(dispatch),
            clock,
            new UpstreamEvents(events),
            tracer);
    started.add(running);
    log.info("forwarding the log to {}", sink.name());
    return Optional.of(running);
  }

  private void startHeartbeat(Dispatcher running, DispatchConfig dispatch) {
    ScheduledExecutorService heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "gateway-heartbeat");
              thread.setDaemon(true);
              return thread;
            });
    long every = dispatch.heartbeatInterval().toMillis();
    heartbeat.scheduleAtFixedRate(() -> heartbeat(running), every, every, TimeUnit.MILLISECONDS);
    started.add(
        () -> {
          heartbeat.shutdownNow();
          // A heartbeat in progress appends to the log; let it finish before the log closes.
          heartbeat.awaitTermination(5, TimeUnit.SECONDS);
        });
  }

  /**
   * Records the stop and waits briefly for the dispatcher to forward it (and whatever is still
   * queued), so the stop reaches Kafka or the store now rather than at the next start.
   */
  private void recordStop() throws InterruptedException {
    events.record(GatewayEvent.Kind.STOPPED, Map.of());
    long deadline = System.nanoTime() + STOP_DRAIN.toNanos();
    while (System.nanoTime() < deadline
        && sinkMetrics().values().stream().anyMatch(m -> m.backlogRecords() > 0)) {
      Thread.sleep(20);
    }
  }

  private void heartbeat(Dispatcher running) {
    try {
      Map<String, String> figures = new TreeMap<>();
      figures.put("wal_records", Long.toString(wal.durableEndOffset() - wal.startOffset()));
      running
          .metrics()
          .forEach(
              (name, metrics) -> {
                figures.put(name + ".backlog_records", Long.toString(metrics.backlogRecords()));
                // The sink's estimate (records × mean size read): the log has no byte index per
                // offset, and an exact figure would cost a scan every heartbeat.
                figures.put(name + ".backlog_bytes", Long.toString(metrics.backlogBytesEstimate()));
                figures.put(
                    name + ".oldest_unsent_ms",
                    Long.toString(metrics.oldestUnsentAge().toMillis()));
                figures.put(name + ".state", metrics.interrupted() ? "interrupted" : "delivering");
              });
      events.record(GatewayEvent.Kind.HEARTBEAT, figures);
    } catch (RuntimeException e) {
      log.warn("heartbeat not recorded: {}", e.toString());
    }
  }

  /** The dispatcher's view of the upstream, written into the log as gateway events. */
  private record UpstreamEvents(GatewayEventLog events) implements DispatcherListener {
    @Override
    public void upstreamInterrupted(String sink, String reason, Instant at) {
      events.record(GatewayEvent.Kind.UPSTREAM_INTERRUPTED, Map.of("sink", sink, "reason", reason));
    }

    @Override
    public void upstreamRestored(String sink, Duration outage, long retries, Instant at) {
      events.record(
          GatewayEvent.Kind.UPSTREAM_RESTORED,
          Map.of(
              "sink",
              sink,
              "outage_ms",
              Long.toString(outage.toMillis()),
              "retries",
              Long.toString(retries)));
    }
  }

  /** CRL fetches and the sessions dropped because their certificate was revoked. */
  public GatewayRevocation.Metrics revocationMetrics() {
    return revocation.metrics();
  }

  /** The store's JDBC URL when the gateway writes its log straight to the store. */
  public Optional<String> storeUrl() {
    return storeUrl;
  }

  /** The dispatcher's per-sink figures; empty when the log is not forwarded. */
  public Map<String, SinkMetrics> sinkMetrics() {
    return dispatcher.map(Dispatcher::metrics).orElse(Map.of());
  }

  private static Optional<SslContext> tlsContext(
      AuditgateConfig config, RevocationCheck revocation) {
    if (config.tls() == null) {
      if (!config.mqtt().plaintext() || !config.http().plaintextAllowed()) {
        // Secure by default: a listener without TLS is an explicit, audited choice.
        throw new ConfigException(
            "tls",
            "no TLS material configured: set tls.certificate_chain, tls.private_key and"
                + " tls.client_ca_bundle (./auditgate certs init; ./auditgate certs issue-server"
                + " --host NAME), or opt in to plaintext with mqtt.plaintext and"
                + " http.plaintext_allowed (the audit reports it)");
      }
      return Optional.empty();
    }
    try {
      return Optional.of(ServerTlsContexts.build(config.tls(), revocation));
    } catch (ConfigException e) {
      throw e.under("tls");
    }
  }

  /**
   * The HTTP ingest's {@code /readyz}: the first failing check of {@link #readinessChecks()}, the
   * same list the operations server reports check by check, so the two never disagree. Draining is
   * answered before the list exists, as a gateway that fails half-way through starting drains.
   */
  private Readiness readiness() {
    return () -> {
      if (draining.get()) {
        return Optional.of("draining: the gateway is shutting down");
      }
      return Checks.firstFailure(readinessChecks);
    };
  }

  private List<HealthCheck> buildReadinessChecks(AuditgateConfig config, Clock clock) {
    Map<String, java.util.function.BooleanSupplier> listeners = new TreeMap<>();
    listeners.put("mqtt", mqtt::listening);
    listeners.put("http", http::listening);
    return List.of(
        Checks.draining(draining::get),
        Checks.walWritable(wal),
        Checks.diskSpace(new DiskSpace(config.gateway().dataDir()), config.health()),
        Checks.listenersBound(listeners),
        Checks.sinksReachable(this::sinkMetrics, config.health().sinkInterruptedAfter(), clock));
  }

  /**
   * The gateway's readiness checks ({@code draining}, {@code wal_writable}, {@code disk_space},
   * {@code listeners_bound}, {@code sinks_reachable}); thread-safe, as each check is.
   */
  public List<HealthCheck> readinessChecks() {
    return readinessChecks;
  }

  private static void logWalEvent(WalEvent event) {
    if (event instanceof WalEvent.Recovered r) {
      boolean crashed = !r.report().cleanShutdown() && r.report().records() > 0;
      if (r.report().bytesTruncated() > 0 || crashed) {
        log.warn("write-ahead log recovered after an unclean stop: {}", r.report());
      } else {
        log.info("write-ahead log opened: {}", r.report());
      }
    } else if (event instanceof WalEvent.Failed f) {
      log.error("write-ahead log failed: {}", f.message());
    } else {
      log.warn("write-ahead log: {}", event);
    }
  }

  public SegmentedWal wal() {
    return wal;
  }

  public IngestPipeline pipeline() {
    return pipeline;
  }

  public InetSocketAddress httpAddress() {
    return http.address();
  }

  public boolean httpUsesTls() {
    return http.tlsEnabled();
  }

  public InetSocketAddress mqttAddress() {
    return mqtt.boundAddress();
  }

  public boolean mqttUsesTls() {
    return mqttTls;
  }

  /** Sends commands to devices connected to the MQTT listener (see {@link CommandPublisher}). */
  public CommandPublisher commands() {
    return mqtt.commands();
  }

  public MqttMetrics mqttMetrics() {
    return mqtt.metrics();
  }

  public HttpIngestMetrics httpMetrics() {
    return http.metrics();
  }

  /** The bridge's counters, when {@code bridge.enabled}. */
  public Optional<BridgeMetrics> bridgeMetrics() {
    return bridge.map(BrokerBridge::metrics);
  }

  /** Whether the MQTT listener is bound and accepting now. */
  public boolean mqttListening() {
    return mqtt.listening();
  }

  /** Whether the HTTPS ingest listener is bound and accepting now. */
  public boolean httpListening() {
    return http.listening();
  }

  /** Whether {@link #drain()} (or {@link #close()}) has begun. */
  public boolean draining() {
    return draining.get();
  }

  /** Flips readiness to "draining" so load balancers stop sending before the listeners close. */
  public void drain() {
    draining.set(true);
  }

  /** Stops the listeners, then the pipeline's helpers, then closes the log. Idempotent. */
  @Override
  public void close() {
    drain();
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

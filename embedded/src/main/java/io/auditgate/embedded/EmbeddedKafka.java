package io.auditgate.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.internals.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka (KRaft: broker and controller in one node) running inside this
 * JVM, for the demo's embedded pipeline and for tests. It listens on loopback only, in plaintext:
 * it is a development default, never a production deployment.
 *
 * <p>Its ports are chosen on the first {@link #start} and kept, so {@link #stop()} followed by
 * {@link #restart()} is an outage that clients ride out by reconnecting to the same address, and
 * the log directory keeps every record across it.
 *
 * <p>Not thread-safe: one owner starts and stops it.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final int START_ATTEMPTS = 3;

  static {
    // A fatal error inside the embedded broker must not end the host process (the gateway).
    Exit.setExitProcedure(
        (status, message) -> {
          throw new EmbeddedKafkaFailedException(
              "embedded Kafka asked to exit with " + status + ": " + message);
        });
    Exit.setHaltProcedure(
        (status, message) -> {
          throw new EmbeddedKafkaFailedException(
              "embedded Kafka asked to halt with " + status + ": " + message);
        });
  }

  private final Path logDir;
  private final int brokerPort;
  private final int controllerPort;
  private KafkaRaftServer server;

  private EmbeddedKafka(Path logDir, int brokerPort, int controllerPort) {
    this.logDir = logDir;
    this.brokerPort = brokerPort;
    this.controllerPort = controllerPort;
  }

  /**
   * Formats {@code logDir} if it holds no Kafka log yet and starts the broker on free loopback
   * ports; returns once the broker answers an admin request.
   *
   * @throws EmbeddedKafkaFailedException if it does not come up
   */
  public static EmbeddedKafka start(Path logDir) {
    EmbeddedKafka kafka = new EmbeddedKafka(logDir, LoopbackPorts.free(), LoopbackPorts.free());
    kafka.restart();
    return kafka;
  }

  /** {@code host:port} for clients' {@code bootstrap.servers}; the same across restarts. */
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  public Path logDir() {
    return logDir;
  }

  public boolean running() {
    return server != null;
  }

  /** Starts the broker again on the same ports and log (after {@link #stop()}). */
  public void restart() {
    if (server != null) {
      return;
    }
    long started = System.nanoTime();
    KafkaConfig config = new KafkaConfig(properties(), false);
    formatIfNew(config);
    server = startWithRetries(config);
    log.info(
        "embedded Kafka ready at {} in {} ms (log {})",
        bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        logDir);
  }

  /**
   * Starts the broker, trying again a few times: on a restart its fixed ports may briefly be taken
   * by the ephemeral source ports of clients reconnecting during the outage.
   */
  private KafkaRaftServer startWithRetries(KafkaConfig config) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      KafkaRaftServer starting = new KafkaRaftServer(config, Time.SYSTEM);
      try {
        starting.startup();
        awaitReady();
        return starting;
      } catch (RuntimeException e) {
        shutdown(starting);
        last = e;
        log.warn("embedded Kafka start attempt {} failed: {}", attempt, e.toString());
        try {
          Thread.sleep(1_000L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw new EmbeddedKafkaFailedException(
        "embedded Kafka did not start: " + last.getMessage(), last);
  }

  /** Stops the broker cleanly; its log stays for {@link #restart()}. Idempotent. */
  public void stop() {
    if (server != null) {
      shutdown(server);
      server = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  private Map<String, String> properties() {
    return Map.ofEntries(
        Map.entry("process.roles", "broker,controller"),
        Map.entry("node.id", "1"),
        Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
        Map.entry(
            "listeners",
            "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort),
        Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort),
        Map.entry("controller.listener.names", "CONTROLLER"),
        Map.entry("inter.broker.listener.name", "PLAINTEXT"),
        Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
        Map.entry("log.dirs", logDir.toAbsolutePath().toString()),
        // One node: internal topics must not wait for replicas that will never exist, or consumer
        // groups and idempotent producers hang.
        Map.entry("offsets.topic.replication.factor", "1"),
        Map.entry("offsets.topic.num.partitions", "6"),
        Map.entry("transaction.state.log.replication.factor", "1"),
        Map.entry("transaction.state.log.min.isr", "1"),
        Map.entry("share.coordinator.state.topic.replication.factor", "1"),
        Map.entry("share.coordinator.state.topic.min.isr", "1"),
        Map.entry("group.initial.rebalance.delay.ms", "0"),
        Map.entry("num.partitions", "6"),
        Map.entry("auto.create.topics.enable", "true"));
  }

  private void formatIfNew(KafkaConfig config) {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    try {
      Files.createDirectories(logDir);
      Path configFile = logDir.resolveSibling(logDir.getFileName() + ".format.properties");
      Properties props = new Properties();
      props.putAll(properties());
      try (var out = Files.newOutputStream(configFile)) {
        props.store(out, "written by auditgate to format the embedded Kafka log");
      }
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      int status;
      try (PrintStream printer = new PrintStream(output, true, StandardCharsets.UTF_8)) {
        status =
            StorageTool.execute(
                new String[] {
                  "format",
                  "--cluster-id",
                  Uuid.randomUuid().toString(),
                  "--config",
                  configFile.toString(),
                  "--ignore-formatted"
                },
                printer);
      }
      Files.deleteIfExists(configFile);
      if (status != 0) {
        throw new EmbeddedKafkaFailedException(
            "cannot format the Kafka log in "
                + logDir
                + ": "
                + output.toString(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the Kafka log directory " + logDir, e);
    }
  }

  private void awaitReady() {
    Map<String, Object> admin =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (Admin client = Admin.create(admin)) {
      while (true) {
        try {
          client.describeCluster().nodes().get(10, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException | TimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw new EmbeddedKafkaFailedException(
                "embedded Kafka did not answer within " + READY_TIMEOUT, e);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new EmbeddedKafkaFailedException("interrupted waiting for embedded Kafka", e);
        }
      }
    }
  }

  private static void shutdown(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      log.warn("stopping embedded Kafka: {}", e.toString());
    }
  }
}

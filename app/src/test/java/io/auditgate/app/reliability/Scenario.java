package io.auditgate.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.app.config.ConfigLoader;
import io.auditgate.app.demo.Reconciliation;
import io.auditgate.app.runtime.Gateway;
import io.auditgate.app.runtime.GatewayProcess;
import io.auditgate.app.runtime.Node;
import io.auditgate.embedded.EmbeddedPostgres;
import io.auditgate.pipeline.SinkMetrics;
import io.auditgate.sim.SimulationReport;
import io.auditgate.store.StoreOptions;
import io.auditgate.store.StoreQueries;
import io.auditgate.store.StoreQueries.StoredGatewayEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One test's slice of the pipeline: its own database on the class's PostgreSQL, its own gateway id,
 * consumer group and Kafka topics, and a directory for its gateway's data. It writes the YAML
 * configuration of each role exactly as an operator would ({@code auditgate run --config FILE}) and
 * runs it in this JVM ({@link Node}) or as a child process ({@link GatewayProcess}) that can be
 * killed for real. Then it observes from the outside — the database, Kafka's committed offsets, the
 * gateway's own events — and reconciles what the boards were acknowledged for against what the
 * database holds.
 */
final class Scenario implements AutoCloseable {
  /** How long a backlog may take to drain once everything is back. */
  static final Duration DRAIN = Duration.ofSeconds(60);

  /** How long a fresh pipeline may take until it stores its gateway's first event. */
  static final Duration WARM_UP = Duration.ofSeconds(60);

  /** How long a child JVM may take to come up. */
  static final Duration CHILD_START = Duration.ofSeconds(60);

  /** The Kafka topics a scenario's gateway writes and its consumer reads. */
  record Topics(
      String telemetry,
      String gatewayEvents,
      String deviceEvents,
      String firmwareState,
      String deadLetters) {
    static Topics defaults() {
      return new Topics(
          "telemetry.v1",
          "gateway-events.v1",
          "device-events.v1",
          "device-firmware-state.v1",
          "telemetry.dlq.v1");
    }

    static Topics prefixed(String prefix) {
      Topics d = defaults();
      return new Topics(
          prefix + "." + d.telemetry,
          prefix + "." + d.gatewayEvents,
          prefix + "." + d.deviceEvents,
          prefix + "." + d.firmwareState,
          prefix + "." + d.deadLetters);
    }

    List<String> consumed() {
      return List.of(telemetry, gatewayEvents, deviceEvents, firmwareState);
    }
  }

  private final ReliabilityHarness harness;
  private final String name;
  private final Path dir;
  private final String gatewayId;
  private final String groupId;
  private final Topics topics;
  private final String jdbcUrl;
  private final StoreQueries store;
  private Admin admin;

  Scenario(ReliabilityHarness harness, String name, Topics topics) {
    this.harness = harness;
    this.name = name;
    this.dir = harness.dir().resolve(name);
    this.gatewayId = "gw-" + name.replace('_', '-');
    this.groupId = "store-" + name.replace('_', '-');
    this.topics = topics;
    this.jdbcUrl = harness.postgres().createDatabase(name);
    this.store = new StoreQueries(StoreOptions.of(jdbcUrl, EmbeddedPostgres.USER, "unused"));
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String gatewayId() {
    return gatewayId;
  }

  Topics topics() {
    return topics;
  }

  StoreQueries store() {
    return store;
  }

  // ---- the roles, configured as an operator would -------------------------------------------

  /**
   * One process: the gateway forwarding to Kafka and the store consumer writing Kafka to the DB.
   */
  Node startGatewayAndStoreConsumer() {
    return startInProcess(
        "gateway-and-consumer",
        concat(gatewaySection(0), kafkaSection(Map.of()), storeSection(), consumerSection()));
  }

  /** The gateway alone, forwarding to Kafka (the store consumer runs elsewhere). */
  Node startGatewayToKafka() {
    return startInProcess("gateway", concat(gatewaySection(0), kafkaSection(Map.of())));
  }

  /** Edge mode: no Kafka; the gateway writes its log straight to the store. */
  Node startEdgeGateway() {
    return startInProcess("edge-gateway", concat(gatewaySection(0), storeSection()));
  }

  /** The store consumer alone, in this JVM. */
  Node startStoreConsumer() {
    return startInProcess(
        "consumer",
        concat(
            List.of("gateway:", "  enabled: false", "  data_dir: " + dir.resolve("consumer")),
            kafkaSection(Map.of()),
            storeSection(),
            consumerSection()));
  }

  /**
   * The gateway forwarding to Kafka as a child process on {@code mqttPort}, its data in this
   * scenario's directory (the same on every start). Not started yet.
   */
  GatewayProcess gatewayProcess(int mqttPort) {
    Path config = write("gateway-child", concat(gatewaySection(mqttPort), kafkaSection(Map.of())));
    return new GatewayProcess(
        config,
        dir.resolve("gateway-child.log"),
        new InetSocketAddress(InetAddress.getLoopbackAddress(), mqttPort));
  }

  /**
   * The store consumer as a child process ({@code gateway.enabled: false}, {@code consumer.enabled:
   * true}, as {@code examples/store-consumer.yaml}). Not started yet.
   *
   * <p>Its session timeout is Kafka's minimum (6 s) instead of 45 s: a member killed with SIGKILL
   * never says goodbye, and the group hands its partitions to the restarted member only once the
   * dead one's session expired. That wait is the same in production; only its length is shortened.
   */
  GatewayProcess storeConsumerProcess() {
    Path config =
        write(
            "consumer-child",
            concat(
                List.of(
                    "gateway:", "  enabled: false", "  data_dir: " + dir.resolve("consumer-child")),
                kafkaSection(Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1000")),
                storeSection(),
                consumerSection()));
    return GatewayProcess.readyWhenLogged(
        config, dir.resolve("consumer-child.log"), "store consumer (group " + groupId + ")");
  }

  private List<String> gatewaySection(int mqttPort) {
    ReliabilityHarness.Pki pki = harness.pki();
    return List.of(
        "gateway:",
        "  id: " + gatewayId,
        "  data_dir: " + dir.resolve("gateway"),
        "tls:",
        "  certificate_chain: " + pki.serverCertificate(),
        "  private_key: " + pki.serverKey(),
        "  client_ca_bundle: " + pki.rootCa(),
        "mqtt:",
        "  bind_host: 127.0.0.1",
        "  port: " + mqttPort,
        "http:",
        "  bind_host: 127.0.0.1",
        "  port: 0",
        // Several nodes of a scenario run at once, each with its own web server.
        "web:",
        "  port: 0",
        "dispatch:",
        // Short waits, so that an outage is seen and left within seconds, and heartbeats (which
        // carry the backlog) come often enough to watch a child gateway drain.
        "  retry_max_delay: 1s",
        "  heartbeat_interval: 1s");
  }

  private List<String> kafkaSection(Map<String, String> clientProperties) {
    List<String> lines = new ArrayList<>();
    lines.add("kafka:");
    lines.add("  bootstrap_servers: " + harness.kafka().bootstrapServers());
    lines.add("  telemetry_topic: " + topics.telemetry);
    lines.add("  gateway_events_topic: " + topics.gatewayEvents);
    lines.add("  device_events_topic: " + topics.deviceEvents);
    lines.add("  firmware_state_topic: " + topics.firmwareState);
    lines.add("  dead_letter_topic: " + topics.deadLetters);
    lines.add("  delivery_timeout: 2s");
    if (!clientProperties.isEmpty()) {
      lines.add("  client_properties:");
      clientProperties.forEach((k, v) -> lines.add("    " + k + ": \"" + v + "\""));
    }
    return lines;
  }

  private List<String> storeSection() {
    return List.of("store:", "  jdbc_url: " + jdbcUrl, "  user: " + EmbeddedPostgres.USER);
  }

  private List<String> consumerSection() {
    return List.of("consumer:", "  enabled: true", "  group_id: " + groupId);
  }

  @SafeVarargs
  private static List<String> concat(List<String>... sections) {
    List<String> all = new ArrayList<>();
    for (List<String> s : sections) {
      all.addAll(s);
    }
    return all;
  }

  private Path write(String role, List<String> lines) {
    Path file = dir.resolve(role + ".yaml");
    try {
      Files.writeString(file, String.join("\n", lines) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private Node startInProcess(String role, List<String> lines) {
    Path file = write(role, lines);
    return Node.start(
        new ConfigLoader().load(Optional.of(file), Map.of(), List.of()), Clock.systemUTC());
  }

  /** Boards publishing to the MQTT listener of the in-process gateway in {@code node}. */
  Load startLoad(Node node, Duration duration) {
    return startLoad(node.gateway().orElseThrow().mqttAddress().getPort(), duration);
  }

  Load startLoad(int mqttPort, Duration duration) {
    return Load.start(harness.pki(), mqttPort, duration);
  }

  /**
   * As {@link #startLoad(Node, Duration)}, once the gateway's events reach the store ({@link
   * #awaitDeliveringToTheStore}): the load's fixed time then starts with rows already flowing, so a
   * machine slow to start Kafka's topics, the consumer group or the gateway does not eat into the
   * time the test has for its outage.
   */
  Load startLoadOnceDelivering(Node node, Duration duration) {
    awaitDeliveringToTheStore(WARM_UP);
    return startLoad(node, duration);
  }

  /** As {@link #startLoadOnceDelivering(Node, Duration)}, for a gateway in a child process. */
  Load startLoadOnceDelivering(int mqttPort, Duration duration) {
    awaitDeliveringToTheStore(WARM_UP);
    return startLoad(mqttPort, duration);
  }

  // ---- observations ---------------------------------------------------------------------------

  /** Telemetry messages in this scenario's database. */
  long storedMessages() {
    return store.telemetryMessageCount();
  }

  /**
   * Waits until no other session is open on this scenario's database: after a SIGKILL, until the
   * server has seen the connection drop, so that a commit already sent has landed (or not) for
   * good.
   */
  void awaitNoOtherDatabaseSessions(Duration timeout) {
    StoreOptions options = StoreOptions.of(jdbcUrl, EmbeddedPostgres.USER, "");
    Waits.until(
        "no other session on database " + name,
        timeout,
        () -> {
          try (Connection c = DriverManager.getConnection(jdbcUrl, options.driverProperties());
              Statement statement = c.createStatement();
              ResultSet rs =
                  statement.executeQuery(
                      "SELECT count(*) FROM pg_stat_activity"
                          + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1) == 0;
          }
        });
  }

  /**
   * Waits until the gateway's {@code started} event is in the store: the whole path from the
   * gateway's log to the database works (topics created, the consumer group joined, the database
   * reachable). A {@link Load} started after this spends its fixed time on the test's steps, not on
   * start-up, however slow the machine is to get there.
   */
  void awaitDeliveringToTheStore(Duration timeout) {
    Waits.until(
        "the started event of " + gatewayId + " in the store",
        timeout,
        () -> gatewayEventKinds().contains("started"));
  }

  /** Waits until the database holds at least {@code count} messages. */
  long awaitStored(long count, Duration timeout) {
    return Waits.until(
        count + " messages in the store", timeout, this::storedMessages, n -> n >= count);
  }

  /** The gateway's only sink's figures. */
  static SinkMetrics sink(Gateway gateway, String sinkName) {
    SinkMetrics metrics = gateway.sinkMetrics().get(sinkName);
    assertThat(metrics).as("sink %s of the gateway", sinkName).isNotNull();
    return metrics;
  }

  /** Waits until the in-process gateway's dispatcher has nothing left to send. */
  static void awaitBacklogDrained(Gateway gateway) {
    Waits.until(
        "the gateway's dispatcher backlog drained",
        DRAIN,
        gateway::sinkMetrics,
        metrics -> metrics.values().stream().allMatch(m -> m.backlogRecords() == 0));
  }

  /**
   * Waits for a heartbeat in the store, stamped after {@code after}, in which the gateway reports
   * nothing waiting for {@code sink}: how an operator sees a gateway in another process drain.
   */
  void awaitHeartbeatWithEmptyBacklog(String sink, Instant after) {
    ObjectMapper json = new ObjectMapper();
    Waits.until(
        "a heartbeat of " + gatewayId + " after " + after + " with " + sink + ".backlog_records 0",
        DRAIN,
        () -> {
          for (StoredGatewayEvent event : gatewayEvents()) {
            if (event.kind().equals("heartbeat") && event.at().isAfter(after)) {
              JsonNode figures = json.readTree(event.attributesJson());
              if (figures.path(sink + ".backlog_records").asText().equals("0")) {
                return true;
              }
            }
          }
          return false;
        });
  }

  /** The gateway's events in the store, oldest first. */
  List<StoredGatewayEvent> gatewayEvents() {
    return store.gatewayEvents(gatewayId, 100_000);
  }

  /** Records in this scenario's topics that its consumer group has not committed. */
  long consumerLag() throws Exception {
    Admin kafka = admin();
    Set<String> existing = kafka.listTopics().names().get(5, TimeUnit.SECONDS);
    if (!existing.contains(topics.telemetry)) {
      throw new IllegalStateException(topics.telemetry + " does not exist yet");
    }
    List<String> read = topics.consumed().stream().filter(existing::contains).toList();
    Map<String, TopicDescription> described =
        kafka.describeTopics(read).allTopicNames().get(5, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    described
        .values()
        .forEach(
            d ->
                d.partitions()
                    .forEach(
                        p ->
                            latest.put(
                                new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
    var ends = kafka.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetAndMetadata> committed =
        kafka
            .listConsumerGroupOffsets(groupId)
            .partitionsToOffsetAndMetadata()
            .get(5, TimeUnit.SECONDS);
    long lag = 0;
    for (var end : ends.entrySet()) {
      OffsetAndMetadata done = committed.get(end.getKey());
      lag += Math.max(0, end.getValue().offset() - (done == null ? 0 : done.offset()));
    }
    return lag;
  }

  /** Offsets the consumer group has committed on the telemetry topic, summed over partitions. */
  long committedTelemetryOffsets() throws Exception {
    return admin()
        .listConsumerGroupOffsets(groupId)
        .partitionsToOffsetAndMetadata()
        .get(5, TimeUnit.SECONDS)
        .entrySet()
        .stream()
        .filter(e -> e.getKey().topic().equals(topics.telemetry) && e.getValue() != null)
        .mapToLong(e -> e.getValue().offset())
        .sum();
  }

  /** Waits until the consumer group has no member: a killed member's session has expired. */
  void awaitConsumerGroupWithoutMembers(Duration timeout) {
    Waits.until(
        "consumer group " + groupId + " without members",
        timeout,
        () ->
            admin()
                .describeConsumerGroups(List.of(groupId))
                .all()
                .get(5, TimeUnit.SECONDS)
                .get(groupId)
                .members()
                .isEmpty());
  }

  /**
   * Moves the group's committed offsets back to the start of its topics: the state a member leaves
   * when it dies after its database commit and before its offset commit, for every batch at once.
   * Whoever reads next reads every stored record again. Kafka accepts this only from a group
   * without members.
   */
  void rewindConsumerGroupToStart() throws Exception {
    Set<String> existing = admin().listTopics().names().get(5, TimeUnit.SECONDS);
    List<String> read = topics.consumed().stream().filter(existing::contains).toList();
    Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
    admin()
        .describeTopics(read)
        .allTopicNames()
        .get(5, TimeUnit.SECONDS)
        .values()
        .forEach(
            d ->
                d.partitions()
                    .forEach(
                        p ->
                            start.put(
                                new TopicPartition(d.name(), p.partition()),
                                new OffsetAndMetadata(0))));
    admin().alterConsumerGroupOffsets(groupId, start).all().get(5, TimeUnit.SECONDS);
  }

  /** Waits until the consumer group has committed everything in its topics. */
  void awaitConsumerCaughtUp() {
    Waits.until(
        "the store consumer (group " + groupId + ") caught up",
        DRAIN,
        this::consumerLag,
        lag -> lag == 0);
  }

  Admin admin() {
    if (admin == null) {
      admin =
          Admin.create(
              Map.of(
                  AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                  harness.kafka().bootstrapServers(),
                  AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                  3_000,
                  AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                  5_000));
    }
    return admin;
  }

  // ---- the verdict ----------------------------------------------------------------------------

  /** Whether a killed gateway may have taken some acknowledgements with it. */
  enum Acknowledgements {
    /** Every message stored was acknowledged: nothing in the store the boards did not see acked. */
    ALL_DELIVERED,
    /**
     * A gateway died between making a message durable and acknowledging it: such a message is
     * stored though its board never saw the PUBACK. Allowed; losing an acknowledged one is not.
     */
    SOME_MAY_DIE_WITH_THE_GATEWAY
  }

  /**
   * Reconciles the simulator's record of acknowledged messages, per board, with the database: waits
   * (bounded) until every acknowledged {@code seq} is stored, then asserts none is missing, no
   * message and no metric value is stored twice, and — unless a gateway was killed — nothing is
   * stored that was not acknowledged.
   */
  Reconciliation assertEveryAcknowledgedMessageStoredOnce(
      SimulationReport report, Acknowledgements acknowledgements) {
    assertThat(report.totals().acknowledged())
        .as("messages acknowledged to the boards")
        .isGreaterThan(5 * Load.ONE_SECOND_OF_MESSAGES);
    Reconciliation reconciliation =
        Waits.until(
            "every acknowledged message in the store",
            DRAIN,
            () -> Reconciliation.of(report, store),
            Reconciliation::complete);
    System.out.printf("%s:%n%s", name, reconciliation.toTable());
    assertThat(reconciliation.lost()).as("acknowledged but not stored").isZero();
    assertThat(reconciliation.duplicates()).as("metric values stored twice").isZero();
    assertThat(store.duplicateMessages()).as("messages stored twice").isZero();
    if (acknowledgements == Acknowledgements.ALL_DELIVERED) {
      assertThat(
              reconciliation.rows().stream()
                  .mapToLong(Reconciliation.Row::storedNotAcknowledged)
                  .sum())
          .as("stored but never acknowledged:%n%s", reconciliation.toTable())
          .isZero();
    }
    assertThat(reconciliation.storedTotal())
        .as("messages in the store = messages of the boards")
        .isEqualTo(storedMessages());
    return reconciliation;
  }

  /** The kinds of the gateway's events in the store, oldest first. */
  List<String> gatewayEventKinds() {
    return gatewayEvents().stream().map(StoredGatewayEvent::kind).toList();
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
  }
}

package io.auditgate.app.reliability;

import static io.auditgate.app.reliability.Load.ONE_SECOND_OF_MESSAGES;
import static io.auditgate.app.reliability.Scenario.Acknowledgements.ALL_DELIVERED;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.app.runtime.Gateway;
import io.auditgate.app.runtime.Node;
import io.auditgate.pipeline.KafkaSink;
import io.auditgate.sim.SimulationReport;
import io.auditgate.store.DirectStoreSink;
import io.auditgate.store.StoreConsumer;
import io.auditgate.store.StoreQueries.StoredGatewayEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka and PostgreSQL go away under steady load and come back: the gateway's write-ahead log (or
 * Kafka, when the database is what is missing) holds what the boards keep sending, the backlog
 * drains, and every acknowledged message ends up in the database exactly once.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class OutageTest {
  /** How many more acknowledgements an outage lasts: about two seconds of the fleet's load. */
  private static final long DURING_OUTAGE = 2 * ONE_SECOND_OF_MESSAGES;

  private static final Duration LOAD = Duration.ofSeconds(15);
  private static final Duration NOTICE = Duration.ofSeconds(20);

  /** Longer than a PUBACK takes to reach the board, even on a loaded machine. */
  private static final Duration PUBACKS_IN_FLIGHT = Duration.ofSeconds(1);

  @TempDir static Path dir;
  private static ReliabilityHarness harness;

  @BeforeAll
  static void startKafkaAndPostgres() {
    harness = ReliabilityHarness.start(dir, true);
  }

  @AfterEach
  void restoreEverything() {
    harness.restoreEverything();
  }

  @AfterAll
  static void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void kafkaBrokerStoppedAndRestarted() throws Exception {
    try (Scenario scenario = harness.scenario("kafka_outage");
        Node node = scenario.startGatewayAndStoreConsumer();
        Load load = scenario.startLoadOnceDelivering(node, LOAD)) {
      Gateway gateway = node.gateway().orElseThrow();
      load.awaitAcknowledged(ONE_SECOND_OF_MESSAGES, NOTICE);
      scenario.awaitStored(1, NOTICE);

      harness.kafka().stop();
      Waits.until(
          "the gateway sees Kafka gone",
          NOTICE,
          () -> Scenario.sink(gateway, KafkaSink.NAME).interrupted());
      long storedWhileDown = scenario.storedMessages();
      long acknowledgedWhileDown = load.acknowledged();
      load.awaitAcknowledged(acknowledgedWhileDown + DURING_OUTAGE, NOTICE);
      assertThat(scenario.storedMessages())
          .as("nothing reaches the store while Kafka is down")
          .isEqualTo(storedWhileDown);
      assertThat(Scenario.sink(gateway, KafkaSink.NAME).backlogRecords())
          .as("the gateway's log holds what the boards kept sending")
          .isGreaterThanOrEqualTo(DURING_OUTAGE);
      harness.kafka().restart();

      SimulationReport report = load.awaitEnd();
      Scenario.awaitBacklogDrained(gateway);
      scenario.awaitConsumerCaughtUp();
      scenario.assertEveryAcknowledgedMessageStoredOnce(report, ALL_DELIVERED);
      assertOutageRecorded(scenario, KafkaSink.NAME);
    }
  }

  @Test
  void postgresStoppedAndRestartedBehindTheStoreConsumer() throws Exception {
    try (Scenario scenario = harness.scenario("postgres_outage_consumer");
        Node node = scenario.startGatewayAndStoreConsumer();
        Load load = scenario.startLoadOnceDelivering(node, LOAD)) {
      Gateway gateway = node.gateway().orElseThrow();
      StoreConsumer consumer = node.consumer().orElseThrow();
      load.awaitAcknowledged(ONE_SECOND_OF_MESSAGES, NOTICE);
      scenario.awaitStored(1, NOTICE);
      long retriesBefore = consumer.metrics().retries();

      harness.postgres().stop();
      Waits.until(
          "the store consumer finds the database gone",
          NOTICE,
          () -> consumer.metrics().retries() > retriesBefore);
      long acknowledgedWhileDown = load.acknowledged();
      load.awaitAcknowledged(acknowledgedWhileDown + DURING_OUTAGE, NOTICE);
      Waits.until(
          "Kafka holds what the consumer cannot store",
          NOTICE,
          scenario::consumerLag,
          lag -> lag >= DURING_OUTAGE);
      assertThat(Scenario.sink(gateway, KafkaSink.NAME).interrupted())
          .as("the gateway is not affected: Kafka is up")
          .isFalse();
      harness.postgres().start();

      SimulationReport report = load.awaitEnd();
      Scenario.awaitBacklogDrained(gateway);
      scenario.awaitConsumerCaughtUp();
      scenario.assertEveryAcknowledgedMessageStoredOnce(report, ALL_DELIVERED);
      assertThat(consumer.metrics().lastError()).as("the consumer saw the outage").isPresent();
    }
  }

  @Test
  void postgresStoppedAndRestartedInEdgeMode() throws Exception {
    try (Scenario scenario = harness.scenario("postgres_outage_edge");
        Node node = scenario.startEdgeGateway();
        Load load = scenario.startLoadOnceDelivering(node, LOAD)) {
      Gateway gateway = node.gateway().orElseThrow();
      load.awaitAcknowledged(ONE_SECOND_OF_MESSAGES, NOTICE);
      scenario.awaitStored(1, NOTICE);

      harness.postgres().stop();
      Waits.until(
          "the gateway sees the database gone",
          NOTICE,
          () -> Scenario.sink(gateway, DirectStoreSink.NAME).interrupted());
      // PUBACKs still on their way count messages the store took before it stopped; let them land
      // so that every message acknowledged after this point was published into the outage.
      Thread.sleep(PUBACKS_IN_FLIGHT.toMillis());
      long acknowledgedWhileDown = load.acknowledged();
      load.awaitAcknowledged(acknowledgedWhileDown + DURING_OUTAGE, NOTICE);
      assertThat(Scenario.sink(gateway, DirectStoreSink.NAME).backlogRecords())
          .as("the gateway's log holds what the boards kept sending")
          .isGreaterThanOrEqualTo(DURING_OUTAGE);
      harness.postgres().start();

      SimulationReport report = load.awaitEnd();
      Scenario.awaitBacklogDrained(gateway);
      scenario.assertEveryAcknowledgedMessageStoredOnce(report, ALL_DELIVERED);
      assertOutageRecorded(scenario, DirectStoreSink.NAME);
    }
  }

  /** The evidence: an interruption of {@code sink}, then its restoration, in the store. */
  private static void assertOutageRecorded(Scenario scenario, String sink) {
    List<StoredGatewayEvent> events =
        Waits.until(
            "upstream_restored of " + sink + " in the store",
            Scenario.DRAIN,
            scenario::gatewayEvents,
            all -> all.stream().anyMatch(e -> isUpstream(e, "upstream_restored", sink)));
    int interrupted = indexOf(events, "upstream_interrupted", sink);
    int restored = indexOf(events, "upstream_restored", sink);
    assertThat(interrupted)
        .as("upstream_interrupted of %s before upstream_restored in %s", sink, events)
        .isNotNegative()
        .isLessThan(restored);
  }

  private static boolean isUpstream(StoredGatewayEvent e, String kind, String sink) {
    return e.kind().equals(kind) && e.attributesJson().contains("\"sink\": \"" + sink + "\"");
  }

  private static int indexOf(List<StoredGatewayEvent> events, String kind, String sink) {
    for (int i = 0; i < events.size(); i++) {
      if (isUpstream(events.get(i), kind, sink)) {
        return i;
      }
    }
    return -1;
  }
}

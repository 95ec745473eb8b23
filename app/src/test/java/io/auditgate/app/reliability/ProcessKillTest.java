package io.auditgate.app.reliability;

import static io.auditgate.app.reliability.Load.ONE_SECOND_OF_MESSAGES;
import static io.auditgate.app.reliability.Scenario.Acknowledgements.ALL_DELIVERED;
import static io.auditgate.app.reliability.Scenario.Acknowledgements.SOME_MAY_DIE_WITH_THE_GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.app.runtime.Gateway;
import io.auditgate.app.runtime.GatewayProcess;
import io.auditgate.app.runtime.Node;
import io.auditgate.embedded.LoopbackPorts;
import io.auditgate.pipeline.KafkaSink;
import io.auditgate.sim.DeviceReport;
import io.auditgate.sim.SimulationReport;
import io.auditgate.store.StoreQueries.ConnectivityEvent;
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
 * The processes die for real — {@code SIGKILL}, no shutdown hook — under steady load and are
 * started again: the gateway (its write-ahead log recovers, the boards reconnect to the same port,
 * the dispatcher resends what Kafka may already hold) and the store consumer (the batch it had in
 * hand was never committed, so Kafka delivers it again and the store's merge keeps one copy).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ProcessKillTest {
  private static final Duration NOTICE = Duration.ofSeconds(20);

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
  void gatewayKilledWithSigkillAndRestarted() throws Exception {
    int mqttPort = LoopbackPorts.free();
    try (Scenario scenario = harness.scenario("gateway_kill");
        Node consumer = scenario.startStoreConsumer();
        GatewayProcess gateway = scenario.gatewayProcess(mqttPort)) {
      gateway.start(Scenario.CHILD_START);
      SimulationReport report;
      try (Load load = scenario.startLoadOnceDelivering(mqttPort, Duration.ofSeconds(20))) {
        load.awaitAcknowledged(2 * ONE_SECOND_OF_MESSAGES, NOTICE);
        scenario.awaitStored(1, NOTICE);

        gateway.kill();
        long acknowledgedAtKill = load.acknowledged();
        gateway.start(Scenario.CHILD_START); // same data directory, same MQTT port
        // Progress is up to a second old: two seconds more can only come from the new process.
        load.awaitAcknowledged(acknowledgedAtKill + 2 * ONE_SECOND_OF_MESSAGES, NOTICE);
        report = load.awaitEnd();
        for (DeviceReport board : report.devices()) {
          assertThat(board.connectionsLost())
              .as("%s lost its connection with the killed gateway", board.deviceId())
              .isPositive();
          assertThat(board.connects())
              .as("%s connected again to the restarted gateway", board.deviceId())
              .isGreaterThanOrEqualTo(2);
        }
        scenario.awaitHeartbeatWithEmptyBacklog(KafkaSink.NAME, load.ended());
      }
      scenario.awaitConsumerCaughtUp();
      scenario.assertEveryAcknowledgedMessageStoredOnce(report, SOME_MAY_DIE_WITH_THE_GATEWAY);

      List<StoredGatewayEvent> events = scenario.gatewayEvents();
      List<String> kinds = events.stream().map(StoredGatewayEvent::kind).toList();
      assertThat(kinds)
          .as("the gateway's events")
          .containsSubsequence("started", "recovered", "started");
      StoredGatewayEvent recovered =
          events.stream().filter(e -> e.kind().equals("recovered")).findFirst().orElseThrow();
      assertThat(recovered.attributesJson())
          .as("the recovery after SIGKILL")
          .contains("\"clean_shutdown\": \"false\"");
      assertThat(kinds).as("a killed gateway records no stop").doesNotContain("stopped");

      // A killed gateway logs no disconnect; what shows the boards' outage is a connect to the
      // restarted gateway after its recovery, and the disconnect that ended the load.
      for (DeviceReport board : report.devices()) {
        List<ConnectivityEvent> connectivity =
            Waits.until(
                board.deviceId() + "'s connects and final disconnect in the store",
                NOTICE,
                () -> scenario.store().connectivity(board.deviceId(), 1_000),
                c -> !c.isEmpty() && c.get(c.size() - 1).event().equals("disconnected"));
        assertThat(connectivity)
            .as("%s connected again after the recovery", board.deviceId())
            .anyMatch(c -> c.event().equals("connected") && !c.at().isBefore(recovered.at()));
        assertThat(connectivity.stream().filter(c -> c.event().equals("connected")))
            .as("%s connected to both gateway processes", board.deviceId())
            .hasSizeGreaterThanOrEqualTo(2);
      }
    }
  }

  @Test
  void storeConsumerKilledWithSigkillAndRestarted() throws Exception {
    try (Scenario scenario = harness.scenario("consumer_kill");
        GatewayProcess consumer = scenario.storeConsumerProcess()) {
      consumer.start(Scenario.CHILD_START);
      try (Node node = scenario.startGatewayToKafka();
          Load load = scenario.startLoadOnceDelivering(node, Duration.ofSeconds(15))) {
        Gateway gateway = node.gateway().orElseThrow();
        scenario.awaitStored(ONE_SECOND_OF_MESSAGES, NOTICE);

        consumer.kill();
        scenario.awaitNoOtherDatabaseSessions(NOTICE);
        long storedAtKill = scenario.storedMessages();
        long committedAtKill = scenario.committedTelemetryOffsets();
        long acknowledgedAtKill = load.acknowledged();
        load.awaitAcknowledged(acknowledgedAtKill + 2 * ONE_SECOND_OF_MESSAGES, NOTICE);
        assertThat(scenario.storedMessages())
            .as("nothing is stored while the only consumer is dead")
            .isEqualTo(storedAtKill);
        Waits.until(
            "Kafka holds what the dead consumer did not read",
            NOTICE,
            scenario::consumerLag,
            lag -> lag >= ONE_SECOND_OF_MESSAGES);
        // Whether this kill landed between a database commit and its offset commit is a matter of
        // milliseconds. Make the restarted member re-read everything stored so far, as if every
        // batch had died in hand, so that the merge's deduplication is exercised on every run.
        scenario.awaitConsumerGroupWithoutMembers(NOTICE);
        scenario.rewindConsumerGroupToStart();
        long storedBeforeRestart = scenario.storedMessages();
        consumer.start(Scenario.CHILD_START);

        SimulationReport report = load.awaitEnd();
        Scenario.awaitBacklogDrained(gateway);
        scenario.awaitConsumerCaughtUp();
        scenario.assertEveryAcknowledgedMessageStoredOnce(report, ALL_DELIVERED);
        System.out.printf(
            "consumer_kill: at the kill %d messages stored, %d telemetry offsets committed (%d"
                + " stored in a batch whose offsets died with it); %d stored messages read again"
                + " after the restart%n",
            storedAtKill, committedAtKill, storedAtKill - committedAtKill, storedBeforeRestart);
      }
    }
  }
}

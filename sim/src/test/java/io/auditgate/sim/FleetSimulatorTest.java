package io.auditgate.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.sim.SimulationPlan.Endpoint;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs against a real Mosquitto, reconciled against a real subscriber. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FleetSimulatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private MosquittoBroker broker;

  @BeforeEach
  void startBroker() throws Exception {
    broker = MosquittoBroker.start(tmp.resolve("broker"));
  }

  @AfterEach
  void stopBroker() throws Exception {
    broker.close();
  }

  @Test
  void fiftyBoardsAtTwoPerSecondForThreeSecondsAreAllAcknowledgedAndReceived() throws Exception {
    SimulationPlan plan = new SimulationPlan(50, 2, Duration.ofSeconds(3), 1, local());
    List<SimulationProgress> progress = new CopyOnWriteArrayList<>();
    SimulationReport report;
    try (Subscriber subscriber = new Subscriber(broker.port())) {
      report = new FleetSimulator(Clock.systemUTC()).run(plan, progress::add);
      subscriber.awaitCount(300, Duration.ofSeconds(10));

      assertThat(report.scheduled()).isEqualTo(300);
      assertThat(report.totals()).isEqualTo(new Counts(300, 300, 0, 0));
      assertThat(report.connects()).isEqualTo(50);
      assertThat(report.connectFailures()).isZero();
      assertThat(report.totalsByKind().get(MessageKind.NORMAL))
          .isEqualTo(new Counts(300, 300, 0, 0));
      Map<String, Long> received = subscriber.countByTopic();
      assertThat(received.values().stream().mapToLong(Long::longValue).sum())
          .as("what the subscriber received equals what the report says was acknowledged")
          .isEqualTo(report.totals().acknowledged());
      for (DeviceReport device : report.devices()) {
        assertThat(device.scheduled()).isEqualTo(6);
        assertThat(device.total()).isEqualTo(new Counts(6, 6, 0, 0));
        String topic = SimulationPlan.telemetryTopic(device.deviceId());
        assertThat(received.get(topic)).as(topic).isEqualTo(device.total().acknowledged());
        List<Long> seqs = new ArrayList<>();
        for (Subscriber.Message m : subscriber.on(topic)) {
          JsonNode json = JSON.readTree(m.payload());
          seqs.add(json.get("seq").asLong());
          assertThat(json.get("metrics").size()).isEqualTo(Board.RANGES.size());
        }
        assertThat(seqs).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(device.acknowledgedSeqs()).hasToString("[1-6]");
      }
    }

    assertThat(progress).as("about once a second for three seconds").hasSizeBetween(2, 4);
    assertThat(progress.get(progress.size() - 1).connected()).isEqualTo(50);
    for (int i = 1; i < progress.size(); i++) {
      assertThat(progress.get(i).sent()).isGreaterThanOrEqualTo(progress.get(i - 1).sent());
    }
    JsonNode json = JSON.readTree(report.toJson());
    assertThat(json.get("totals").get("acknowledged").asLong()).isEqualTo(300);
    assertThat(json.get("devices")).hasSize(50);
    assertThat(json.get("by_kind").get("normal").get("sent").asLong()).isEqualTo(300);
    assertThat(report.toTable()).contains("b-l475e-0050").contains("TOTAL");
  }

  @Test
  void atQosZeroNothingIsAcknowledgedAndEverythingIsUnconfirmed() throws Exception {
    SimulationPlan plan = new SimulationPlan(5, 4, Duration.ofSeconds(1), 0, local());
    SimulationReport report = new FleetSimulator(Clock.systemUTC(), 2).run(plan, p -> {});
    assertThat(report.totals()).isEqualTo(new Counts(20, 0, 0, 20));
  }

  @Test
  void aThousandIdleConnectionsAreHeld() throws Exception {
    SimulationPlan plan = new SimulationPlan(1000, 0, Duration.ofSeconds(2), 1, local());
    List<SimulationProgress> progress = new CopyOnWriteArrayList<>();
    SimulationReport report =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () -> new FleetSimulator(Clock.systemUTC()).run(plan, progress::add));

    assertThat(report.connects()).isEqualTo(1000);
    assertThat(report.connectFailures()).isZero();
    assertThat(report.connectionsLost()).isZero();
    assertThat(report.totals()).isEqualTo(Counts.ZERO);
    assertThat(progress).isNotEmpty();
    assertThat(progress).allMatch(p -> p.connected() == 1000);
    System.out.printf(
        "1000 idle boards: connected in %d ms, held for %d ms%n",
        report.connectTime().toMillis(), report.runTime().toMillis());
  }

  @Test
  void boardsThatCannotConnectSkipTheirReadingsAndKeepRetrying() throws Exception {
    int closed = MosquittoBroker.freePort();
    SimulationPlan plan =
        new SimulationPlan(2, 2, Duration.ofSeconds(2), 1, Endpoint.plaintext("127.0.0.1", closed));
    SimulationReport report = new FleetSimulator(Clock.systemUTC(), 2).run(plan, p -> {});
    assertThat(report.totals()).isEqualTo(Counts.ZERO);
    assertThat(report.skippedTotals().get(SkipReason.DISCONNECTED)).isEqualTo(8);
    assertThat(report.connects()).isZero();
    assertThat(report.connectFailures()).as("retried with backoff").isGreaterThanOrEqualTo(4);
  }

  private Endpoint local() {
    return Endpoint.plaintext("127.0.0.1", broker.port());
  }
}

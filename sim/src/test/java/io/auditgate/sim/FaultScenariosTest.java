package io.auditgate.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.sim.SimulationPlan.Endpoint;
import io.auditgate.sim.SimulationPlan.Fault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every fault scenario in one run against a real Mosquitto, checked from the subscriber's side:
 * each produces what it claims, and the report still reconciles with what arrived.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FaultScenariosTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DUPLICATING = SimulationPlan.deviceId(1);
  private static final String MALFORMING = SimulationPlan.deviceId(2);
  private static final String MISDIRECTING = SimulationPlan.deviceId(3);
  private static final String MISDIRECTED_TO = SimulationPlan.deviceId(4);
  private static final String SKEWED = SimulationPlan.deviceId(5);
  private static final String STALE = SimulationPlan.deviceId(6);

  @TempDir Path tmp;

  @Test
  void eachFaultProducesWhatItClaimsAndTheReportStillReconciles() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start(tmp.resolve("broker"));
        Subscriber subscriber = new Subscriber(broker.port())) {
      SimulationPlan plan =
          new SimulationPlan(
                  6, 4, Duration.ofSeconds(3), 1, Endpoint.plaintext("127.0.0.1", broker.port()))
              .withFaults(
                  List.of(
                      new Fault.DuplicateResend(DUPLICATING, Duration.ofMillis(500), 2),
                      new Fault.Malformed(MALFORMING, Duration.ofMillis(500), 3),
                      new Fault.WrongTopic(MISDIRECTING, Duration.ofMillis(500), 2),
                      new Fault.ClockSkew(SKEWED, Duration.ofHours(1)),
                      new Fault.Stale(STALE, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                      new Fault.ReconnectStorm(Duration.ofMillis(2100))));
      Instant before = Instant.now();
      SimulationReport report = new FleetSimulator(Clock.systemUTC(), 2).run(plan, p -> {});
      subscriber.awaitCount(report.totals().acknowledged(), Duration.ofSeconds(10));

      // Duplicates: two readings arrive twice, byte for byte, with the same seq.
      DeviceReport duplicating = report.device(DUPLICATING).orElseThrow();
      assertThat(duplicating.of(MessageKind.DUPLICATE)).isEqualTo(new Counts(2, 2, 0, 0));
      List<String> payloads = texts(subscriber.on(SimulationPlan.telemetryTopic(DUPLICATING)));
      Map<String, Long> copies = Subscriber.histogram(payloads);
      assertThat(copies.values().stream().filter(n -> n == 2).count()).isEqualTo(2);
      assertThat(copies.values()).allMatch(n -> n <= 2);
      List<Long> seqs = payloads.stream().map(FaultScenariosTest::seq).toList();
      assertThat(Subscriber.histogram(seqs).values().stream().filter(n -> n == 2).count())
          .isEqualTo(2);

      // Malformed: exactly the three cut-off readings fail to parse.
      assertThat(report.device(MALFORMING).orElseThrow().of(MessageKind.MALFORMED))
          .isEqualTo(new Counts(3, 3, 0, 0));
      List<Subscriber.Message> malforming =
          subscriber.on(SimulationPlan.telemetryTopic(MALFORMING));
      assertThat(malforming.stream().filter(m -> !BoardTest.isJson(m.payload())).count())
          .isEqualTo(3);

      // Wrong topic: two readings land on the next board's topic instead of its own.
      DeviceReport misdirecting = report.device(MISDIRECTING).orElseThrow();
      DeviceReport target = report.device(MISDIRECTED_TO).orElseThrow();
      assertThat(misdirecting.of(MessageKind.WRONG_TOPIC)).isEqualTo(new Counts(2, 2, 0, 0));
      assertThat((long) subscriber.on(SimulationPlan.telemetryTopic(MISDIRECTING)).size())
          .isEqualTo(misdirecting.total().acknowledged() - 2);
      List<String> onTarget = texts(subscriber.on(SimulationPlan.telemetryTopic(MISDIRECTED_TO)));
      assertThat((long) onTarget.size()).isEqualTo(target.total().acknowledged() + 2);
      Map<Long, Long> targetSeqs =
          Subscriber.histogram(onTarget.stream().map(FaultScenariosTest::seq).toList());
      assertThat(targetSeqs.values().stream().filter(n -> n == 2).count())
          .as("two seqs arrive from two different boards")
          .isEqualTo(2);
      assertThat(Subscriber.histogram(onTarget).values()).allMatch(n -> n == 1);

      // Clock skew: every reading of the skewed board is stamped an hour ahead.
      DeviceReport skewed = report.device(SKEWED).orElseThrow();
      assertThat(skewed.of(MessageKind.CLOCK_SKEW).sent()).isEqualTo(skewed.total().sent());
      for (String text : texts(subscriber.on(SimulationPlan.telemetryTopic(SKEWED)))) {
        Instant ts = Instant.parse(JSON.readTree(text).get("ts").asText());
        assertThat(ts).isAfter(before.plus(Duration.ofMinutes(59)));
      }

      // Stale: a second of silence at 4 readings a second.
      DeviceReport stale = report.device(STALE).orElseThrow();
      assertThat(stale.skipped().get(SkipReason.STALE)).isEqualTo(4);
      assertThat((long) subscriber.on(SimulationPlan.telemetryTopic(STALE)).size())
          .isEqualTo(stale.total().acknowledged());

      // Reconnect storm: every board connected twice; nothing was lost on the way.
      for (DeviceReport device : report.devices()) {
        assertThat(device.connects()).as(device.deviceId()).isEqualTo(2);
        assertThat(device.connectionsLost()).isZero();
        assertThat(device.scheduled()).isEqualTo(12);
        assertThat(
                device.total().sent()
                    - device.of(MessageKind.DUPLICATE).sent()
                    + device.skippedTotal())
            .as("every due reading was published or skipped: %s", device)
            .isEqualTo(device.scheduled());
        assertThat(device.total().acknowledged()).isEqualTo(device.total().sent());
      }
      assertThat((long) subscriber.messages().size())
          .as("the subscriber received exactly what was acknowledged")
          .isEqualTo(report.totals().acknowledged());
      System.out.print(report.toTable());
    }
  }

  private static List<String> texts(List<Subscriber.Message> messages) {
    return messages.stream().map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
  }

  private static long seq(String json) {
    try {
      return JSON.readTree(json).get("seq").asLong();
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + json + " " + Arrays.toString(e.getStackTrace()));
    }
  }
}

package io.auditgate.app.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.app.health.Checks;
import io.auditgate.app.runtime.Node;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.DataSize;
import io.auditgate.core.config.DispatchConfig;
import io.auditgate.core.config.HealthConfig;
import io.auditgate.core.config.KafkaConfig;
import io.auditgate.core.config.WalConfig;
import io.auditgate.core.ops.CheckResult;
import io.auditgate.core.ops.HealthCheck;
import io.auditgate.embedded.LoopbackPorts;
import io.auditgate.store.StoreConsumerMetrics;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness checks against real failing conditions: a drain, a full log, a sink pointing at a Kafka
 * that is not there, a disk below its minimum. Each time the HTTP ingest's {@code /readyz} must
 * agree with the checks the operations server reports.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HealthChecksTest {
  @TempDir Path dir;

  @Test
  void aHealthyGatewayPassesEveryCheckAndDrainingFailsBothReadinessEndpoints() throws Exception {
    ObservabilityFixture fixture = new ObservabilityFixture(dir);
    AuditgateConfig config =
        fixture.config(null).withHealth(new HealthConfig(DataSize.ofBytes(1), null, null));
    try (Node node = Node.start(config, Clock.systemUTC())) {
      List<HealthCheck> checks = HealthChecks.forNode(node, config);
      assertThat(checks)
          .extracting(HealthCheck::name)
          .containsExactly(
              "draining", "wal_writable", "disk_space", "listeners_bound", "sinks_reachable");
      assertThat(report(checks))
          .allSatisfy(
              (name, result) -> assertThat(result.ok()).as(name + ": " + result.detail()).isTrue());
      HttpClient http = fixture.https();
      var gateway = node.gateway().orElseThrow();
      assertThat(ObservabilityFixture.get(http, gateway.httpAddress(), "/readyz").statusCode())
          .isEqualTo(200);

      gateway.drain();

      assertThat(report(checks).get("draining").ok()).isFalse();
      HttpResponse<String> ready = ObservabilityFixture.get(http, gateway.httpAddress(), "/readyz");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("draining");
    }
  }

  @Test
  void aFullLogFailsWalWritableAndTheIngestsReadyz() throws Exception {
    ObservabilityFixture fixture = new ObservabilityFixture(dir);
    WalConfig small =
        new WalConfig(
            DataSize.ofKibibytes(4),
            DataSize.ofKibibytes(1),
            null,
            null,
            DataSize.ofKibibytes(8),
            null,
            WalConfig.OverflowPolicy.REFUSE,
            DataSize.ofBytes(0));
    AuditgateConfig config =
        fixture.config(small).withHealth(new HealthConfig(DataSize.ofBytes(1), null, null));
    try (Node node = Node.start(config, Clock.systemUTC())) {
      var gateway = node.gateway().orElseThrow();
      List<HealthCheck> checks = HealthChecks.forNode(node, config);
      assertThat(report(checks).get("wal_writable").ok()).isTrue();
      HttpClient http = fixture.https();
      int status = 202;
      for (int seq = 1; seq <= 200 && status == 202; seq++) {
        status =
            ObservabilityFixture.post(
                    http, gateway.httpAddress(), ObservabilityFixture.telemetry(seq))
                .statusCode();
      }
      assertThat(status).as("the 8 KiB log refused within 200 messages").isEqualTo(503);

      CheckResult wal = report(checks).get("wal_writable");
      assertThat(wal.ok()).isFalse();
      assertThat(wal.detail()).startsWith("full:");
      HttpResponse<String> ready = ObservabilityFixture.get(http, gateway.httpAddress(), "/readyz");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("wal_writable");
      assertThat(Checks.firstFailure(checks))
          .hasValueSatisfying(r -> assertThat(r).startsWith("wal_writable"));
    }
  }

  @Test
  void aSinkInterruptedLongerThanTheThresholdFailsAndShowsInTheMetrics() throws Exception {
    ObservabilityFixture fixture = new ObservabilityFixture(dir);
    // A port nothing listens on: the Kafka the sink points at is stopped.
    String stoppedKafka = "127.0.0.1:" + LoopbackPorts.free();
    AuditgateConfig config =
        fixture
            .config(null)
            .withKafka(
                new KafkaConfig(
                    Optional.of(stoppedKafka),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    Duration.ofSeconds(1),
                    Map.of("reconnect.backoff.max.ms", "200")))
            .withDispatch(
                new DispatchConfig(DispatchConfig.Sink.KAFKA, null, null, null, null, null))
            .withHealth(new HealthConfig(DataSize.ofBytes(1), null, Duration.ofSeconds(1)));
    try (Node node = Node.start(config, Clock.systemUTC())) {
      var gateway = node.gateway().orElseThrow();
      List<HealthCheck> checks = HealthChecks.forNode(node, config);
      HttpClient http = fixture.https();
      assertThat(
              ObservabilityFixture.post(
                      http, gateway.httpAddress(), ObservabilityFixture.telemetry(1))
                  .statusCode())
          .as("the log takes telemetry while the sink is down")
          .isEqualTo(202);

      AtomicReference<CheckResult> sinks = new AtomicReference<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      do {
        Thread.sleep(200);
        sinks.set(report(checks).get("sinks_reachable"));
      } while (sinks.get().ok() && System.nanoTime() < deadline);

      assertThat(sinks.get().ok()).as(sinks.get().detail()).isFalse();
      assertThat(sinks.get().detail()).contains("interrupted for");
      HttpResponse<String> ready = ObservabilityFixture.get(http, gateway.httpAddress(), "/readyz");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("sinks_reachable");

      Scrape scrape =
          Scrape.of(PrometheusMetrics.forNode(node, config, Clock.systemUTC(), FleetGauges.NONE));
      String sink = gateway.sinkMetrics().keySet().iterator().next();
      assertThat(scrape.value("auditgate_sink_interrupted", "sink", sink)).isEqualTo(1);
      assertThat(scrape.value("auditgate_sink_interrupted_seconds", "sink", sink)).isGreaterThan(1);
      assertThat(scrape.value("auditgate_sink_retries_total", "sink", sink)).isPositive();
      assertThat(scrape.value("auditgate_sink_backlog_records", "sink", sink))
          .as("the message and the gateway's own events wait")
          .isGreaterThanOrEqualTo(2);
      assertThat(scrape.value("auditgate_sink_oldest_unsent_age_seconds", "sink", sink))
          .isPositive();
    }
  }

  @Test
  void aDiskBelowItsMinimumFails() throws Exception {
    ObservabilityFixture fixture = new ObservabilityFixture(dir);
    // More than any disk has, and 100 % of it: the smaller of the two is the whole disk.
    AuditgateConfig config =
        fixture
            .config(null)
            .withHealth(new HealthConfig(DataSize.ofGibibytes(1024 * 1024), 100, null));
    try (Node node = Node.start(config, Clock.systemUTC())) {
      CheckResult disk = report(HealthChecks.forNode(node, config)).get("disk_space");
      assertThat(disk.ok()).isFalse();
      assertThat(disk.detail()).contains("MiB free of");
    }
  }

  @Test
  void theStoreCheckFailsWhenTheConsumerStopsOrItsBatchesKeepFailing() {
    AtomicReference<StoreConsumerMetrics> now =
        new AtomicReference<>(consumer(true, Duration.ZERO));
    HealthCheck store = Checks.storeReachable(now::get, Duration.ofSeconds(30));
    assertThat(store.check().ok()).isTrue();
    now.set(consumer(true, Duration.ofSeconds(10)));
    assertThat(store.check().ok()).as("failing, but not for long").isTrue();
    now.set(consumer(true, Duration.ofSeconds(31)));
    assertThat(store.check().ok()).isFalse();
    assertThat(store.check().detail()).contains("connection refused");
    now.set(consumer(false, Duration.ZERO));
    assertThat(store.check().ok()).isFalse();
  }

  private static StoreConsumerMetrics consumer(boolean alive, Duration failingFor) {
    return new StoreConsumerMetrics(
        10,
        0,
        0,
        1,
        0,
        0,
        OptionalLong.of(0),
        failingFor.isZero() ? Optional.empty() : Optional.of("store: connection refused"),
        alive,
        0,
        failingFor,
        List.of());
  }

  private static Map<String, CheckResult> report(List<HealthCheck> checks) {
    Map<String, CheckResult> report = new TreeMap<>();
    checks.forEach(c -> report.put(c.name(), Checks.run(c)));
    return report;
  }
}

package io.auditgate.app.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.auditgate.app.runtime.Node;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.DispatchConfig;
import io.auditgate.core.config.KafkaConfig;
import io.auditgate.core.config.StoreConsumerConfig;
import io.auditgate.embedded.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped alert rules use only metrics a real node exports: a node running every role (HTTPS
 * gateway → Kafka → store consumer → PostgreSQL) with real telemetry is scraped, and every {@code
 * auditgate_*} name in every rule's expression must be a sample of that scrape.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AlertRulesTest {
  static final Path RULES = Path.of("..", "ops", "prometheus", "alerts.yml");
  private static final Pattern METRIC = Pattern.compile("\\bauditgate_[a-z0-9_]+\\b");

  @TempDir Path dir;

  @Test
  void everyMetricAnAlertUsesIsInARealScrape() throws Exception {
    JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(RULES));
    List<String> alerts = new ArrayList<>();
    Set<String> used = new TreeSet<>();
    for (JsonNode group : rules.get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        alerts.add(rule.get("alert").asText());
        assertThat(rule.get("labels").get("severity").asText()).isIn("info", "warning", "critical");
        assertThat(rule.get("annotations").get("summary").asText()).isNotBlank();
        Matcher m = METRIC.matcher(rule.get("expr").asText());
        while (m.find()) {
          used.add(m.group());
        }
      }
    }
    assertThat(alerts)
        .contains(
            "AuditgateStaleDevices",
            "AuditgateWalBacklogOld",
            "AuditgateSinkInterrupted",
            "AuditgateConsumerLag",
            "AuditgateDiskLow",
            "AuditgateCertificateExpiring");
    assertThat(used).hasSizeGreaterThan(10);

    ObservabilityFixture fixture = new ObservabilityFixture(dir);
    FleetGauges fleet =
        new FleetGauges() {
          @Override
          public Map<String, Long> devicesByState() {
            return Map.of("active", 1L, "stale", 0L);
          }

          @Override
          public Map<String, Long> gatewaysByState() {
            return Map.of("active", 1L);
          }
        };
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
      AuditgateConfig config =
          fixture
              .config(null)
              .withDispatch(DispatchConfig.defaults())
              .withKafka(KafkaConfig.defaults().withBootstrapServers(kafka.bootstrapServers()))
              .withConsumer(new StoreConsumerConfig(true, "obs-alerts", null));
      try (Node node = Node.start(config, Clock.systemUTC())) {
        var gateway = node.gateway().orElseThrow();
        var http = fixture.https();
        for (int seq = 1; seq <= 3; seq++) {
          assertThat(
                  ObservabilityFixture.post(
                          http, gateway.httpAddress(), ObservabilityFixture.telemetry(seq))
                      .statusCode())
              .isEqualTo(202);
        }
        PrometheusMetrics metrics =
            PrometheusMetrics.forNode(node, config, Clock.systemUTC(), fleet);
        // The consumer's lag is exported once it knows its assignment: wait for its first batch.
        Scrape scrape = Scrape.of(metrics);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (scrape.value("auditgate_store_consumer_stored_records_total") < 3
            && System.nanoTime() < deadline) {
          Thread.sleep(250);
          scrape = Scrape.of(metrics);
        }
        assertThat(scrape.value("auditgate_store_consumer_stored_records_total"))
            .isGreaterThanOrEqualTo(3);
        assertThat(scrape.names()).as("every metric the alert rules use").containsAll(used);
        assertThat(
                scrape.value("auditgate_sink_delivered_records_total", "sink", sinkName(gateway)))
            .as("delivered to Kafka: the 3 messages and the gateway's start event")
            .isGreaterThanOrEqualTo(4);
        assertThat(scrape.value("auditgate_store_consumer_up")).isEqualTo(1);
        assertThat(scrape.series("auditgate_store_consumer_partition_lag_records"))
            .as("one series per assigned partition, labelled by topic and partition")
            .isNotEmpty()
            .allSatisfy(s -> assertThat(s.labels()).containsKeys("topic", "partition"));
        assertThat(scrape.find("auditgate_store_consumer_lag_records", "group", "obs-alerts"))
            .isPresent();
        assertThat(HealthChecks.forNode(node, config))
            .extracting(c -> c.name())
            .contains("store_reachable", "sinks_reachable");
        assertThat(HealthChecks.forNode(node, config))
            .allSatisfy(
                c -> assertThat(c.check().ok()).as(c.name() + ": " + c.check().detail()).isTrue());
      }
    }
  }

  private static String sinkName(io.auditgate.app.runtime.Gateway gateway) {
    return gateway.sinkMetrics().keySet().iterator().next();
  }
}

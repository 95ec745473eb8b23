package io.auditgate.app.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.auditgate.app.runtime.Gateway;
import io.auditgate.core.config.AuditgateConfig;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus exposition of a real gateway: real HTTPS and MQTT/TLS telemetry goes in, the text
 * a Prometheus server would scrape comes out, and the counters moved by exactly what was sent.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrometheusMetricsTest {
  @TempDir Path dir;

  @Test
  void countersMoveByWhatWasSentAndRejectsAreLabelledByReason() throws Exception {
    ObservabilityFixture fixture = new ObservabilityFixture(dir);
    AuditgateConfig config = fixture.config(null);
    FleetGauges fleet =
        new FleetGauges() {
          @Override
          public Map<String, Long> devicesByState() {
            return Map.of("active", 7L, "stale", 2L);
          }

          @Override
          public Map<String, Long> gatewaysByState() {
            return Map.of("active", 1L);
          }
        };
    try (Gateway gateway = Gateway.start(config, Clock.systemUTC())) {
      PrometheusMetrics metrics =
          PrometheusMetrics.forGateway(gateway, config, Clock.systemUTC(), fleet);
      Scrape before = Scrape.of(metrics);

      HttpClient http = fixture.https();
      for (int seq = 1; seq <= 5; seq++) {
        var answer =
            ObservabilityFixture.post(
                http, gateway.httpAddress(), ObservabilityFixture.telemetry(seq));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
      }
      for (int i = 0; i < 2; i++) {
        var answer = ObservabilityFixture.post(http, gateway.httpAddress(), "{not json");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
      }
      String tooMany =
          IntStream.range(0, 33)
              .mapToObj(i -> "\"m" + i + "\":1")
              .collect(Collectors.joining(",", "{\"metrics\":{", "}}"));
      assertThat(ObservabilityFixture.post(http, gateway.httpAddress(), tooMany).statusCode())
          .isEqualTo(400);

      Mqtt5BlockingClient mqtt = fixture.mqtt(gateway.mqttAddress().getPort());
      try {
        for (int seq = 100; seq < 103; seq++) {
          mqtt.publishWith()
              .topic("devices/" + ObservabilityFixture.DEVICE + "/telemetry")
              .qos(MqttQos.AT_LEAST_ONCE)
              .payload(ObservabilityFixture.telemetry(seq).getBytes(StandardCharsets.UTF_8))
              .send();
        }
        Scrape after = Scrape.of(metrics);

        // 5 over HTTPS, 3 over MQTT, the MQTT listener's "connected" event for the MQTT device
        // and the HTTPS listener's "certificate_presented" event for the HTTPS client's
        // certificate (once for its connection), stored through the same pipeline.
        assertThat(delta(before, after, "auditgate_ingest_messages_stored_total")).isEqualTo(10);
        assertThat(delta(before, after, "auditgate_http_certificate_events_total")).isEqualTo(1);
        assertThat(delta(before, after, "auditgate_http_certificate_events_lost_total")).isZero();
        assertThat(
                delta(
                    before,
                    after,
                    "auditgate_ingest_messages_rejected_total",
                    "reason",
                    "invalid_json"))
            .isEqualTo(2);
        assertThat(
                delta(
                    before,
                    after,
                    "auditgate_ingest_messages_rejected_total",
                    "reason",
                    "too_many_metrics"))
            .isEqualTo(1);
        assertThat(after.find("auditgate_ingest_messages_rejected_total", "reason", "wrong_device"))
            .as("every reason is exported, also those never seen")
            .contains(0.0);
        assertThat(delta(before, after, "auditgate_http_responses_total", "status", "202"))
            .isEqualTo(5);
        assertThat(delta(before, after, "auditgate_http_responses_total", "status", "400"))
            .isEqualTo(3);
        assertThat(delta(before, after, "auditgate_http_messages_stored_total")).isEqualTo(5);
        assertThat(delta(before, after, "auditgate_mqtt_publishes_total", "qos", "1")).isEqualTo(3);
        assertThat(after.value("auditgate_mqtt_clients_connected")).isEqualTo(1);
        // The 8 messages plus the gateway's own records (its start event) and dead letters.
        assertThat(delta(before, after, "auditgate_wal_appended_records_total"))
            .isGreaterThanOrEqualTo(8);
        assertThat(delta(before, after, "auditgate_wal_dead_letters_total")).isEqualTo(3);
        assertThat(after.value("auditgate_wal_retained_bytes")).isPositive();
        assertThat(after.value("auditgate_wal_depth_records"))
            .as("no sink: everything durable is waiting")
            .isGreaterThanOrEqualTo(8);
        assertThat(after.value("auditgate_wal_failed")).isZero();

        assertHistogramConsistent(after, "auditgate_wal_fsync_duration_seconds");
        double fsyncs = after.value("auditgate_wal_fsync_duration_seconds_count");
        assertThat(fsyncs - before.value("auditgate_wal_fsync_duration_seconds_count"))
            .as("every stored message waited for an fsync")
            .isPositive();
        assertThat(after.value("auditgate_wal_fsync_duration_seconds_sum"))
            .as("seconds, not microseconds: %s fsyncs cannot take an hour", fsyncs)
            .isPositive()
            .isLessThan(fsyncs * 10);
        assertHistogramConsistent(after, "auditgate_ingest_durable_latency_seconds");
        assertThat(delta(before, after, "auditgate_ingest_durable_latency_seconds_count"))
            .isEqualTo(10);

        assertThat(after.value("auditgate_certificate_expiry_seconds", "certificate", "listener"))
            .as("the server certificate was issued for 30 days")
            .isCloseTo(30 * 86_400.0, within(86_400.0));
        assertThat(after.value("auditgate_fleet_devices", "state", "stale")).isEqualTo(2);
        assertThat(after.value("auditgate_fleet_gateways", "state", "active")).isEqualTo(1);
        assertThat(after.value("auditgate_disk_free_bytes", "dir", "data")).isPositive();
        assertThat(after.value("auditgate_gateway_draining")).isZero();
        assertThat(after.value("auditgate_revocation_crl_number"))
            .as("no certificates.revocation.crl_url: no CRL enforced")
            .isZero();
        assertThat(after.value("auditgate_revocation_crl_fetch_failures_total")).isZero();
        assertThat(after.names()).contains("jvm_memory_used_bytes", "jvm_threads_current");
        assertThat(after.samples())
            .as("no device id ever becomes a label value")
            .noneMatch(s -> s.labels().containsValue(ObservabilityFixture.DEVICE));
        assertThat(metrics.contentType()).startsWith("text/plain; version=0.0.4");
      } finally {
        mqtt.disconnect();
      }
    }
  }

  /** Buckets are cumulative, end at +Inf, and +Inf equals the count. */
  static void assertHistogramConsistent(Scrape scrape, String name) {
    List<Scrape.Sample> buckets = scrape.series(name + "_bucket");
    assertThat(buckets).isNotEmpty();
    double previous = 0;
    for (Scrape.Sample b : buckets) {
      assertThat(b.value()).isGreaterThanOrEqualTo(previous);
      previous = b.value();
    }
    assertThat(buckets.get(buckets.size() - 1).labels()).containsEntry("le", "+Inf");
    assertThat(previous).isEqualTo(scrape.value(name + "_count"));
  }

  private static double delta(Scrape before, Scrape after, String name, String... labels) {
    return after.value(name, labels) - before.value(name, labels);
  }
}

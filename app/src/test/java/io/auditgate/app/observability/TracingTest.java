package io.auditgate.app.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.app.runtime.Node;
import io.auditgate.app.tracing.OtelStageTracer;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.KafkaConfig;
import io.auditgate.core.config.StoreConsumerConfig;
import io.auditgate.core.config.TracingConfig;
import io.auditgate.core.trace.StageTracer;
import io.auditgate.embedded.EmbeddedKafka;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces over OTLP/HTTP to a real (minimal) collector: one message through the whole seed pipeline
 * (HTTPS → log → Kafka → store consumer → PostgreSQL) leaves its three stages in one trace, the
 * device's own trace id, chained parent to child.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TracingTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  @TempDir Path dir;

  @Test
  void oneMessagesIngestDispatchAndStoreSpansShareItsTraceId() throws Exception {
    ObservabilityFixture fixture = new ObservabilityFixture(dir);
    try (OtlpCollector collector = new OtlpCollector();
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
      AuditgateConfig config =
          fixture
              .config(null)
              .withDispatch(io.auditgate.core.config.DispatchConfig.defaults())
              .withKafka(KafkaConfig.defaults().withBootstrapServers(kafka.bootstrapServers()))
              .withConsumer(new StoreConsumerConfig(true, "obs-trace", null))
              .withTracing(TracingConfig.to(collector.endpoint()));
      try (Node node = Node.start(config, Clock.systemUTC())) {
        var gateway = node.gateway().orElseThrow();
        HttpClient http = fixture.https();
        HttpResponse<String> stored =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "https://localhost:"
                                + gateway.httpAddress().getPort()
                                + "/v1/ingest/"
                                + ObservabilityFixture.DEVICE))
                    .header("Content-Type", "application/json")
                    .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
                    .POST(HttpRequest.BodyPublishers.ofString(ObservabilityFixture.telemetry(1)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(202);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (names(collector.spansOf(TRACE_ID)).size() < 3 && System.nanoTime() < deadline) {
          Thread.sleep(250);
        }
      }
      List<Span> spans = collector.spansOf(TRACE_ID);
      Map<String, Span> byName =
          spans.stream().collect(Collectors.toMap(Span::getName, s -> s, (a, b) -> a));
      assertThat(byName).containsKeys("ingest", "dispatch", "store");
      Span ingest = byName.get("ingest");
      Span dispatch = byName.get("dispatch");
      Span store = byName.get("store");
      assertThat(ingest.getParentSpanId().isEmpty()).as("ingest is the root").isTrue();
      assertThat(dispatch.getParentSpanId()).isEqualTo(ingest.getSpanId());
      assertThat(store.getParentSpanId())
          .as("the store's parent is the span the Kafka traceparent names: the dispatch")
          .isEqualTo(dispatch.getSpanId());
      assertThat(ingest.getEndTimeUnixNano()).isGreaterThanOrEqualTo(ingest.getStartTimeUnixNano());
      // Not after the ingest's end: the dispatcher may read the record the instant the log made it
      // durable, before the ingest's completion (which ends its span) has run.
      assertThat(dispatch.getStartTimeUnixNano())
          .as("dispatched after it was received")
          .isGreaterThanOrEqualTo(ingest.getStartTimeUnixNano());
      assertThat(store.getStartTimeUnixNano())
          .isGreaterThanOrEqualTo(dispatch.getStartTimeUnixNano());
      assertThat(attribute(ingest, "auditgate.device_id")).isEqualTo(ObservabilityFixture.DEVICE);
      assertThat(attribute(dispatch, "auditgate.sink")).isNotEmpty();
    }
  }

  @Test
  void offIsTheNoopAndARatioOfZeroExportsNothing() throws Exception {
    assertThat(OtelStageTracer.from(TracingConfig.defaults())).isSameAs(StageTracer.NOOP);
    try (OtlpCollector collector = new OtlpCollector()) {
      StageTracer none =
          OtelStageTracer.from(new TracingConfig(Optional.of(collector.endpoint()), 0.0, null));
      StageTracer all = OtelStageTracer.from(TracingConfig.to(collector.endpoint()));
      Instant t = Instant.parse("2026-11-28T12:00:00Z");
      String dropped = "0af7651916cd43dd8448eb211c80319c";
      none.record(
          StageTracer.Stage.INGEST, dropped, t, t.plusMillis(2), Optional.empty(), Map.of());
      all.record(
          StageTracer.Stage.INGEST,
          TRACE_ID,
          t,
          t.plusMillis(2),
          Optional.of("log failed"),
          Map.of("wal_offset", "7"));
      all.record(StageTracer.Stage.INGEST, "not-a-trace-id", t, t, Optional.empty(), Map.of());
      ((AutoCloseable) none).close();
      ((AutoCloseable) all).close();
      assertThat(collector.spansOf(dropped)).isEmpty();
      List<Span> kept = collector.spansOf(TRACE_ID);
      assertThat(kept).hasSize(1);
      assertThat(kept.get(0).getStatus().getMessage()).isEqualTo("log failed");
      assertThat(kept.get(0).getStartTimeUnixNano()).isEqualTo(t.getEpochSecond() * 1_000_000_000L);
      assertThat(collector.spans()).hasSize(1);
    }
  }

  private static java.util.Set<String> names(List<Span> spans) {
    return spans.stream().map(Span::getName).collect(Collectors.toSet());
  }

  private static String attribute(Span span, String key) {
    return span.getAttributesList().stream()
        .filter(a -> a.getKey().equals(key))
        .map(a -> a.getValue().getStringValue())
        .findFirst()
        .orElse("");
  }
}

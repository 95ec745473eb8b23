package io.auditgate.app.tracing;

import io.auditgate.core.config.TracingConfig;
import io.auditgate.core.trace.StageTracer;
import io.auditgate.envelope.KafkaRecordHeaders;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The stages of each message as OpenTelemetry spans, exported over OTLP/HTTP (protobuf, the JDK's
 * HTTP client) in batches. The spans of one message form one trace, whatever process records them:
 *
 * <pre>
 * ingest    span id f(trace id, wal offset)       no parent (the trace's root in auditgate)
 *  └ dispatch span id = the Kafka header's         parent: ingest
 *             traceparent span id (wal offset)
 *     └ store span id random                       parent: the traceparent header = dispatch
 * </pre>
 *
 * Every id is derived from what travels with the message (its trace id and gateway log offset), so
 * no process has to tell another its span ids. Sampling is decided from the trace id ({@code
 * tracing.sample_ratio}), so every stage in every process keeps or drops the same messages.
 *
 * <p>Thread-safety: thread-safe; {@link #record} never blocks (the batch processor's queue drops
 * spans when full). {@link #close} flushes what is queued (up to 10 s).
 */
public final class OtelStageTracer implements StageTracer, AutoCloseable {
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final FixedIds ids;

  private OtelStageTracer(SdkTracerProvider provider, FixedIds ids) {
    this.provider = provider;
    this.tracer = provider.get("io.auditgate");
    this.ids = ids;
  }

  /** The tracer {@code config} asks for: {@link StageTracer#NOOP} when tracing is off. */
  public static StageTracer from(TracingConfig config) {
    if (!config.enabled()) {
      return StageTracer.NOOP;
    }
    FixedIds ids = new FixedIds();
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(config.otlpEndpoint().orElseThrow())
            .setTimeout(Duration.ofSeconds(10))
            .build();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(Resource.create(Attributes.of(SERVICE_NAME, config.serviceName()))))
            .setSampler(Sampler.traceIdRatioBased(config.sampleRatio()))
            .setIdGenerator(ids)
            .addSpanProcessor(
                BatchSpanProcessor.builder(exporter)
                    .setScheduleDelay(Duration.ofSeconds(1))
                    .setMaxQueueSize(8192)
                    .build())
            .build();
    return new OtelStageTracer(provider, ids);
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public void record(
      Stage stage,
      String traceId,
      Instant start,
      Instant end,
      Optional<String> error,
      Map<String, String> attributes) {
    if (!TraceId.isValid(traceId)) {
      return;
    }
    OptionalLong offset = offset(attributes.get("wal_offset"));
    Optional<String> parentSpan = Optional.empty();
    String spanId = null;
    SpanKind kind;
    switch (stage) {
      case INGEST -> {
        kind = SpanKind.SERVER;
        if (offset.isPresent()) {
          spanId = ingestSpanId(traceId, offset.getAsLong());
        }
      }
      case DISPATCH -> {
        kind = SpanKind.PRODUCER;
        if (offset.isPresent()) {
          parentSpan = Optional.of(ingestSpanId(traceId, offset.getAsLong()));
          if (error.isEmpty()) {
            // The span the Kafka record's traceparent names, so the store's span is its child.
            spanId = KafkaRecordHeaders.spanId(offset.getAsLong());
          }
        }
      }
      default -> {
        kind = SpanKind.CONSUMER;
        if (offset.isPresent()) {
          parentSpan = Optional.of(KafkaRecordHeaders.spanId(offset.getAsLong()));
        }
      }
    }
    Context parent =
        parentSpan
            .map(
                id ->
                    Context.root()
                        .with(
                            Span.wrap(
                                SpanContext.createFromRemoteParent(
                                    traceId,
                                    id,
                                    TraceFlags.getSampled(),
                                    TraceState.getDefault()))))
            .orElse(Context.root());
    SpanBuilder builder =
        tracer
            .spanBuilder(stage.spanName())
            .setParent(parent)
            .setSpanKind(kind)
            .setStartTimestamp(start);
    attributes.forEach((k, v) -> builder.setAttribute("auditgate." + k, v));
    Span span;
    ids.next(parentSpan.isEmpty() ? traceId : null, spanId);
    try {
      span = builder.startSpan();
    } finally {
      ids.clear();
    }
    error.ifPresent(e -> span.setStatus(StatusCode.ERROR, e));
    span.end(end);
  }

  /** A span id for the ingest stage of the record at {@code offset} of trace {@code traceId}. */
  static String ingestSpanId(String traceId, long offset) {
    long low = Long.parseUnsignedLong(traceId.substring(16), 16);
    // Mixed with the trace id so it differs from the dispatch span's id for the same offset.
    return KafkaRecordHeaders.spanId(offset ^ low ^ 0x5BD1E995_2F3A7C11L);
  }

  private static OptionalLong offset(String text) {
    if (text == null) {
      return OptionalLong.empty();
    }
    try {
      long value = Long.parseLong(text);
      return value >= 0 ? OptionalLong.of(value) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** Flushes queued spans (up to 10 s) and stops the exporter. */
  @Override
  public void close() {
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }
}

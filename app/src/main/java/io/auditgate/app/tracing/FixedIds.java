package io.auditgate.app.tracing;

import io.opentelemetry.sdk.trace.IdGenerator;

/**
 * Random ids, except for the span being started on this thread when {@link #next} named them: the
 * SDK has no other way to give a span an id derived from the message (see {@link OtelStageTracer}).
 * Thread-safe: the override is per thread and cleared after each start.
 */
final class FixedIds implements IdGenerator {
  private static final IdGenerator RANDOM = IdGenerator.random();

  private final ThreadLocal<String> traceId = new ThreadLocal<>();
  private final ThreadLocal<String> spanId = new ThreadLocal<>();

  /** The ids of the next span this thread starts; null for a random one. */
  void next(String trace, String span) {
    traceId.set(trace);
    spanId.set(span);
  }

  void clear() {
    traceId.remove();
    spanId.remove();
  }

  @Override
  public String generateSpanId() {
    String id = spanId.get();
    if (id != null) {
      spanId.remove();
      return id;
    }
    return RANDOM.generateSpanId();
  }

  @Override
  public String generateTraceId() {
    String id = traceId.get();
    if (id != null) {
      traceId.remove();
      return id;
    }
    return RANDOM.generateTraceId();
  }
}

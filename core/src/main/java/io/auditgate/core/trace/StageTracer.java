package io.auditgate.core.trace;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Records the stages one message passes through as spans of the trace its envelope carries ({@code
 * trace_id}, W3C): {@link Stage#INGEST} (received → durable in the log), {@link Stage#DISPATCH}
 * (handed to a sink → acknowledged by it), {@link Stage#STORE} (read by the store consumer →
 * committed in the database). All stages of one message, in every process, share its trace id.
 *
 * <p>Callers check {@link #enabled()} first and gather nothing when it is false, so a process
 * without tracing pays one branch per message and nothing else ({@link #NOOP}).
 *
 * <p>Thread-safety: implementations are thread-safe and {@link #record} does not block: it hands
 * the span to a bounded background exporter and drops it when that is full.
 */
public interface StageTracer {
  /** Records nothing. */
  StageTracer NOOP =
      new StageTracer() {
        @Override
        public boolean enabled() {
          return false;
        }

        @Override
        public void record(
            Stage stage,
            String traceId,
            Instant start,
            Instant end,
            Optional<String> error,
            Map<String, String> attributes) {}
      };

  /** A stage of a message's way through the system; the span's name is {@link #spanName()}. */
  enum Stage {
    INGEST("ingest"),
    DISPATCH("dispatch"),
    STORE("store");

    private final String spanName;

    Stage(String spanName) {
      this.spanName = spanName;
    }

    public String spanName() {
      return spanName;
    }
  }

  /** Whether {@link #record} records anything; when false, callers skip it altogether. */
  boolean enabled();

  /**
   * Records one finished stage of a message.
   *
   * @param traceId the message's trace id, 32 lower-case hex digits; an invalid one is ignored
   * @param start when the stage began
   * @param end when it ended
   * @param error why the stage failed (the span's status), empty when it succeeded
   * @param attributes a few facts about the message ({@code device_id}, {@code sink}, {@code
   *     wal_offset}), set on the span
   */
  void record(
      Stage stage,
      String traceId,
      Instant start,
      Instant end,
      Optional<String> error,
      Map<String, String> attributes);
}

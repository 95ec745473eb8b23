package io.auditgate.pipeline;

import java.time.Instant;
import java.util.Objects;

/** Whether a sink is delivering, as a {@link SinkMetrics} snapshot reports it. */
public sealed interface SinkState {
  /** Its last attempt delivered its batch, or it has had nothing to deliver yet. */
  record Delivering() implements SinkState {}

  /**
   * Its attempts fail since {@code since}; the dispatcher keeps retrying.
   *
   * @param reason the sink's reason for the latest failed attempt
   */
  record Interrupted(Instant since, String reason) implements SinkState {
    public Interrupted {
      Objects.requireNonNull(since, "since");
      Objects.requireNonNull(reason, "reason");
    }
  }
}

package io.auditgate.pipeline;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one sink's delivery, for the metrics endpoint, heartbeats and the demo.
 *
 * @param sink the sink's name (also its cursor's)
 * @param ackedOffset the cursor's acknowledged position: every record below it is delivered or dead
 * @param backlogRecords records between the acknowledged position and the end of the durable log
 * @param backlogBytesEstimate {@code backlogRecords} times the mean body size of the records this
 *     sink has read so far (the log keeps no byte index per offset, so the exact figure would cost
 *     a scan); 0 before the first read
 * @param oldestUnsentAge how long ago the log wrote the oldest record not yet delivered, by the
 *     dispatcher's clock; zero when nothing is waiting
 * @param deliveredRecords records the sink accepted since start (dead letters not included)
 * @param deliveredBytes their body bytes
 * @param sendRatePerSecond delivered records per second over the last {@code ~10 s}
 * @param retries failed attempts since start (each followed by a backoff and a retry)
 * @param deadLetters records the sink rejected permanently, moved to the dead-letter log
 * @param sinkFailures attempts that ended with the sink throwing instead of reporting an outcome (a
 *     bug in the sink; counted among the retries as well)
 * @param state delivering, or interrupted since when and why
 * @param lastInterruption the reason of the latest failed attempt, even once delivering again
 */
public record SinkMetrics(
    String sink,
    long ackedOffset,
    long backlogRecords,
    long backlogBytesEstimate,
    Duration oldestUnsentAge,
    long deliveredRecords,
    long deliveredBytes,
    double sendRatePerSecond,
    long retries,
    long deadLetters,
    long sinkFailures,
    SinkState state,
    Optional<String> lastInterruption) {
  public SinkMetrics {
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(oldestUnsentAge, "oldestUnsentAge");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(lastInterruption, "lastInterruption");
  }

  /** Whether the sink is interrupted now. */
  public boolean interrupted() {
    return state instanceof SinkState.Interrupted;
  }
}

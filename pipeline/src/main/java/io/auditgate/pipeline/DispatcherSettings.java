package io.auditgate.pipeline;

import io.auditgate.core.config.DispatchConfig;
import java.time.Duration;

/**
 * How the {@link Dispatcher} reads and retries. Every sink gets the same settings.
 *
 * @param maxBatchRecords records offered to a sink in one {@code deliver} call at most
 * @param maxBatchBytes body bytes offered in one call at most (a single larger record is still
 *     offered alone)
 * @param initialBackoff the ceiling of the first retry's delay after an interruption
 * @param maxBackoff the ceiling the doubling stops at; each delay is drawn uniformly from zero to
 *     the current ceiling ("full jitter"), so gateways that lost the same broker do not return in
 *     lockstep
 * @param idleWait how long a caught-up sink waits for new records before looking again; it bounds
 *     how late a {@link Dispatcher#close()} is noticed, not how late new records are sent (the wait
 *     ends as soon as a record is durable)
 * @param closeTimeout how long {@link Dispatcher#close()} waits for a sink's delivery in progress
 *     before interrupting it
 */
public record DispatcherSettings(
    int maxBatchRecords,
    long maxBatchBytes,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration idleWait,
    Duration closeTimeout) {

  /**
   * 500 records / 1 MiB per batch, backoff 100 ms doubling to 30 s, 200 ms idle wait, 30 s close.
   */
  public static final DispatcherSettings DEFAULTS =
      new DispatcherSettings(
          500,
          1024 * 1024,
          Duration.ofMillis(100),
          Duration.ofSeconds(30),
          Duration.ofMillis(200),
          Duration.ofSeconds(30));

  /** The settings of configuration section {@code dispatch}, with the defaults for the rest. */
  public static DispatcherSettings from(DispatchConfig config) {
    return new DispatcherSettings(
        config.maxBatchRecords(),
        config.maxBatchBytes().bytes(),
        config.retryInitialDelay(),
        config.retryMaxDelay(),
        DEFAULTS.idleWait(),
        DEFAULTS.closeTimeout());
  }

  public DispatcherSettings {
    if (maxBatchRecords < 1 || maxBatchRecords > 100_000) {
      throw new IllegalArgumentException(
          "maxBatchRecords must be between 1 and 100000, got " + maxBatchRecords);
    }
    if (maxBatchBytes < 1) {
      throw new IllegalArgumentException("maxBatchBytes must be >= 1, got " + maxBatchBytes);
    }
    positive("initialBackoff", initialBackoff);
    positive("maxBackoff", maxBackoff);
    positive("idleWait", idleWait);
    positive("closeTimeout", closeTimeout);
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff must be >= initialBackoff (" + initialBackoff + "), got " + maxBackoff);
    }
  }

  /** These settings with another backoff. */
  public DispatcherSettings withBackoff(Duration initial, Duration max) {
    return new DispatcherSettings(
        maxBatchRecords, maxBatchBytes, initial, max, idleWait, closeTimeout);
  }

  /** These settings with another batch bound. */
  public DispatcherSettings withBatch(int records, long bytes) {
    return new DispatcherSettings(
        records, bytes, initialBackoff, maxBackoff, idleWait, closeTimeout);
  }

  private static void positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
    }
  }
}

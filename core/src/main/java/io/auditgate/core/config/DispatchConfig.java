package io.auditgate.core.config;

import static io.auditgate.core.config.Check.between;
import static io.auditgate.core.config.Check.orDefault;

import java.time.Duration;

/**
 * Section {@code dispatch}: how the gateway forwards its log to the sink (Kafka, or the store
 * directly).
 *
 * @param sink where the log goes: {@code auto} (Kafka when {@code kafka.bootstrap_servers} is set,
 *     else the store directly), {@code kafka}, {@code store}, or {@code none} (the log only, for
 *     replay later with {@code auditgate wal replay}; the audit reports it)
 * @param retryInitialDelay the first backoff after a failed delivery; it doubles (with jitter) up
 *     to {@code retry_max_delay} and retries forever
 * @param heartbeatInterval how often the gateway appends a heartbeat event with its backlog
 */
public record DispatchConfig(
    Sink sink,
    Integer maxBatchRecords,
    DataSize maxBatchBytes,
    Duration retryInitialDelay,
    Duration retryMaxDelay,
    Duration heartbeatInterval) {
  public DispatchConfig {
    sink = orDefault(sink, Sink.AUTO);
    maxBatchRecords = orDefault(maxBatchRecords, 2_000);
    Check.that(
        maxBatchRecords >= 1 && maxBatchRecords <= 100_000,
        "max_batch_records",
        "must be between 1 and 100000, got " + maxBatchRecords);
    maxBatchBytes =
        Check.between(
            "max_batch_bytes",
            orDefault(maxBatchBytes, DataSize.ofMebibytes(4)),
            DataSize.ofKibibytes(64),
            DataSize.ofMebibytes(256));
    retryInitialDelay =
        between(
            "retry_initial_delay",
            orDefault(retryInitialDelay, Duration.ofMillis(100)),
            Duration.ofMillis(1),
            Duration.ofMinutes(1));
    retryMaxDelay =
        between(
            "retry_max_delay",
            orDefault(retryMaxDelay, Duration.ofSeconds(30)),
            retryInitialDelay,
            Duration.ofHours(1));
    heartbeatInterval =
        between(
            "heartbeat_interval",
            orDefault(heartbeatInterval, Duration.ofSeconds(30)),
            Duration.ofSeconds(1),
            Duration.ofHours(1));
  }

  public static DispatchConfig defaults() {
    return new DispatchConfig(null, null, null, null, null, null);
  }

  /** No sink: records stay in the log (tests of the device side, replay later). */
  public static DispatchConfig logOnly() {
    return new DispatchConfig(Sink.NONE, null, null, null, null, null);
  }

  /** Where the dispatcher sends the log. */
  public enum Sink {
    AUTO,
    KAFKA,
    STORE,
    NONE
  }
}

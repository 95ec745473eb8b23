package io.auditgate.store;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A snapshot of one store consumer member.
 *
 * @param stored records that were new and are committed in the database
 * @param duplicates records the store already held (redeliveries, gateway resends, and records of a
 *     batch that a failed attempt had partly committed before it was read again)
 * @param poison records sent to the dead-letter topic
 * @param batches batches committed (database and offsets)
 * @param retries batches the database or Kafka refused and that were read again after a backoff
 * @param storedPerSecond records stored per second over the last second or so of work
 * @param lag records behind the end of the assigned partitions, if known
 * @param lastError the last failure's description, if any batch has failed
 * @param alive whether the member's thread is running (started and not yet stopped by {@code
 *     close()}); unexpected failures do not stop it, they restart its Kafka consumer
 * @param restarts unexpected failures (Kafka client errors, bugs) after which the member closed its
 *     Kafka consumer and subscribed again with a new one
 */
public record StoreConsumerMetrics(
    long stored,
    long duplicates,
    long poison,
    long batches,
    long retries,
    double storedPerSecond,
    OptionalLong lag,
    Optional<String> lastError,
    boolean alive,
    long restarts,
    Duration failingFor,
    List<PartitionLag> partitionLags) {
  public StoreConsumerMetrics {
    partitionLags = List.copyOf(Objects.requireNonNull(partitionLags, "partitionLags"));
  }

  /** Records behind the end of one assigned partition. */
  public record PartitionLag(String topic, int partition, long lag) {
    public PartitionLag {
      Objects.requireNonNull(topic, "topic");
    }
  }
}

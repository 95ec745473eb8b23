package io.auditgate.store;

import io.auditgate.core.config.StoreConsumerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A store consumer group member's settings.
 *
 * @param bootstrapServers Kafka's {@code bootstrap.servers}
 * @param groupId the consumer group; members with the same id share the topics' partitions
 * @param topics what to read: telemetry, device events, firmware state, gateway events
 * @param gatewayEventsTopic which of {@code topics} carries gateway events (records there without a
 *     record type header are read as gateway events)
 * @param deadLetterTopic where poison records go, with the reason in headers
 * @param maxBatchRecords records per poll, and so per database transaction
 * @param pollTimeout how long one poll waits for records
 * @param minBackoff first wait after the database refused a batch; doubles per failure
 * @param maxBackoff cap of the wait; each wait is drawn uniformly from zero to the current cap
 *     (full jitter, as the dispatcher does)
 * @param kafkaOverrides extra client properties (security, for example) for the consumer and the
 *     dead-letter producer; applied over the defaults but under the settings the delivery guarantee
 *     rests on ({@code enable.auto.commit=false}, {@code auto.offset.reset=earliest}, group id,
 *     batch size, {@code acks=all}, idempotence, byte serialization), which they cannot change
 */
public record StoreConsumerOptions(
    String bootstrapServers,
    String groupId,
    List<String> topics,
    String gatewayEventsTopic,
    String deadLetterTopic,
    int maxBatchRecords,
    Duration pollTimeout,
    Duration minBackoff,
    Duration maxBackoff,
    Map<String, String> kafkaOverrides) {
  public StoreConsumerOptions {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(gatewayEventsTopic, "gatewayEventsTopic");
    Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
    Objects.requireNonNull(pollTimeout, "pollTimeout");
    Objects.requireNonNull(minBackoff, "minBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    topics = List.copyOf(topics);
    kafkaOverrides = Map.copyOf(kafkaOverrides);
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("topics must not be empty");
    }
    if (topics.contains(deadLetterTopic)) {
      throw new IllegalArgumentException(
          "deadLetterTopic " + deadLetterTopic + " must not be one of the topics read");
    }
    if (maxBatchRecords < 1) {
      throw new IllegalArgumentException("maxBatchRecords must be >= 1, got " + maxBatchRecords);
    }
    if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff must be 0 < min <= max, got " + minBackoff + " and " + maxBackoff);
    }
  }

  /**
   * Group {@code auditgate-store} on the seed's topics ({@code telemetry.v1}, {@code
   * gateway-events.v1}, {@code device-events.v1}, {@code device-firmware-state.v1}), dead letters
   * to {@code telemetry.dlq.v1}, {@link StoreConsumerConfig#DEFAULT_MAX_BATCH_RECORDS} records per
   * batch, backoff 100 ms doubling to 10 s.
   */
  public static StoreConsumerOptions defaults(String bootstrapServers) {
    return new StoreConsumerOptions(
        bootstrapServers,
        "auditgate-store",
        List.of(
            "telemetry.v1", "gateway-events.v1", "device-events.v1", "device-firmware-state.v1"),
        "gateway-events.v1",
        "telemetry.dlq.v1",
        StoreConsumerConfig.DEFAULT_MAX_BATCH_RECORDS,
        Duration.ofMillis(500),
        Duration.ofMillis(100),
        Duration.ofSeconds(10),
        Map.of());
  }

  public StoreConsumerOptions withGroupId(String id) {
    return new StoreConsumerOptions(
        bootstrapServers,
        id,
        topics,
        gatewayEventsTopic,
        deadLetterTopic,
        maxBatchRecords,
        pollTimeout,
        minBackoff,
        maxBackoff,
        kafkaOverrides);
  }

  public StoreConsumerOptions withMaxBatchRecords(int records) {
    return new StoreConsumerOptions(
        bootstrapServers,
        groupId,
        topics,
        gatewayEventsTopic,
        deadLetterTopic,
        records,
        pollTimeout,
        minBackoff,
        maxBackoff,
        kafkaOverrides);
  }

  public StoreConsumerOptions withBackoff(Duration min, Duration max) {
    return new StoreConsumerOptions(
        bootstrapServers,
        groupId,
        topics,
        gatewayEventsTopic,
        deadLetterTopic,
        maxBatchRecords,
        pollTimeout,
        min,
        max,
        kafkaOverrides);
  }

  public StoreConsumerOptions withKafkaOverrides(Map<String, String> overrides) {
    return new StoreConsumerOptions(
        bootstrapServers,
        groupId,
        topics,
        gatewayEventsTopic,
        deadLetterTopic,
        maxBatchRecords,
        pollTimeout,
        minBackoff,
        maxBackoff,
        overrides);
  }
}

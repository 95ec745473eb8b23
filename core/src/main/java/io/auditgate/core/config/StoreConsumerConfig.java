package io.auditgate.core.config;

import static io.auditgate.core.config.Check.orDefault;

/**
 * Section {@code consumer}: the store consumer role, which reads {@code kafka} topics as a member
 * of a consumer group and writes them to the {@code store}. Scale out by running more members with
 * the same {@code group_id}.
 */
public record StoreConsumerConfig(Boolean enabled, String groupId, Integer maxBatchRecords) {
  /**
   * Records per poll and database transaction by default. Large, because what a batch costs the
   * store beyond its rows (latest values, devices, rollups) grows with the distinct devices and
   * buckets in it, not with its messages: a backlog drains in big batches at a lower cost per
   * message (measured by {@code auditgate bench store}), and at a steady load a poll returns only
   * what has arrived, so batches stay small and latency low.
   */
  public static final int DEFAULT_MAX_BATCH_RECORDS = 20_000;

  public StoreConsumerConfig {
    enabled = orDefault(enabled, false);
    groupId =
        Check.matches("group_id", orDefault(groupId, "auditgate-store"), "^[A-Za-z0-9._-]{1,128}$");
    maxBatchRecords = orDefault(maxBatchRecords, DEFAULT_MAX_BATCH_RECORDS);
    Check.that(
        maxBatchRecords >= 1 && maxBatchRecords <= 100_000,
        "max_batch_records",
        "must be between 1 and 100000, got " + maxBatchRecords);
  }

  public static StoreConsumerConfig defaults() {
    return new StoreConsumerConfig(null, null, null);
  }
}

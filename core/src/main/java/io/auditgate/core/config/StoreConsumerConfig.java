package io.auditgate.core.config;

import static io.auditgate.core.config.Check.orDefault;

/**
 * Section {@code consumer}: the store consumer role, which reads {@code kafka} topics as a member
 * of a consumer group and writes them to the {@code store}. Scale out by running more members with
 * the same {@code group_id}.
 */
public record StoreConsumerConfig(Boolean enabled, String groupId, Integer maxBatchRecords) {
  public StoreConsumerConfig {
    enabled = orDefault(enabled, false);
    groupId =
        Check.matches("group_id", orDefault(groupId, "auditgate-store"), "^[A-Za-z0-9._-]{1,128}$");
    maxBatchRecords = orDefault(maxBatchRecords, 5_000);
    Check.that(
        maxBatchRecords >= 1 && maxBatchRecords <= 100_000,
        "max_batch_records",
        "must be between 1 and 100000, got " + maxBatchRecords);
  }

  public static StoreConsumerConfig defaults() {
    return new StoreConsumerConfig(null, null, null);
  }
}

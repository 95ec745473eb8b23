package io.auditgate.app.observability;

import io.auditgate.store.StoreConsumerMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The store consumer role's metrics. */
final class StoreConsumerMetricsBinding {
  private StoreConsumerMetricsBinding() {}

  static void bind(MetricBinder m, String groupId, Supplier<StoreConsumerMetrics> consumer) {
    m.counter(
        "auditgate_store_consumer_stored_records_total",
        "Records committed in the database",
        consumer,
        StoreConsumerMetrics::stored);
    m.counter(
        "auditgate_store_consumer_duplicate_records_total",
        "Records the store already held (redeliveries, resends)",
        consumer,
        StoreConsumerMetrics::duplicates);
    m.counter(
        "auditgate_store_consumer_poison_records_total",
        "Records sent to the dead-letter topic",
        consumer,
        StoreConsumerMetrics::poison);
    m.counter(
        "auditgate_store_consumer_batches_total",
        "Batches committed (database and offsets)",
        consumer,
        StoreConsumerMetrics::batches);
    m.counter(
        "auditgate_store_consumer_retries_total",
        "Batches the database or Kafka refused, read again after a backoff",
        consumer,
        StoreConsumerMetrics::retries);
    m.counter(
        "auditgate_store_consumer_restarts_total",
        "Unexpected failures after which the Kafka consumer was recreated",
        consumer,
        StoreConsumerMetrics::restarts);
    // No series while the lag is unknown (before the first assignment), rather than a false 0.
    m.gaugeByLabel(
        "auditgate_store_consumer_lag_records",
        "Records behind the end of the partitions assigned to this member",
        "group",
        consumer,
        s -> s.lag().isPresent() ? Map.of(groupId, s.lag().getAsLong()) : Map.of());
    m.gaugeByLabels(
        "auditgate_store_consumer_partition_lag_records",
        "Records behind the end of each partition assigned to this member",
        new String[] {"topic", "partition"},
        consumer,
        s -> {
          Map<List<String>, Long> byPartition = new LinkedHashMap<>();
          s.partitionLags()
              .forEach(
                  p ->
                      byPartition.put(
                          List.of(p.topic(), Integer.toString(p.partition())), p.lag()));
          return byPartition;
        });
    m.gauge(
        "auditgate_store_consumer_up",
        "1 while the consumer's thread runs",
        consumer,
        s -> s.alive() ? 1 : 0);
  }
}

package io.auditgate.core.wal;

import io.auditgate.core.metrics.HistogramSnapshot;

/**
 * Snapshot of the log's metrics, for the metrics endpoint and the benchmark.
 *
 * @param appendedRecords records made durable since open
 * @param appendedBytes body bytes made durable since open
 * @param batches group commits (one write + one force each) since open
 * @param refusedAppends appends refused (full, too old, too large, failed, closed) since open
 * @param droppedRecords records dropped by the drop-oldest overflow policy since open
 * @param quarantinedRecords records a cursor skipped since open because they failed their checksum
 *     (counted per cursor that meets them)
 * @param deadLetters dead letters written since open
 * @param retainedBytes bytes in segment files on disk now
 * @param segments segment files on disk now
 * @param startOffset oldest offset held now
 * @param durableEndOffset one past the newest durable offset now
 * @param failed whether the log is in the failed state
 * @param forceMicros latency of each {@code force} call, in microseconds
 * @param batchRecords records per group commit
 */
public record WalMetrics(
    long appendedRecords,
    long appendedBytes,
    long batches,
    long refusedAppends,
    long droppedRecords,
    long quarantinedRecords,
    long deadLetters,
    long retainedBytes,
    int segments,
    long startOffset,
    long durableEndOffset,
    boolean failed,
    HistogramSnapshot forceMicros,
    HistogramSnapshot batchRecords) {}

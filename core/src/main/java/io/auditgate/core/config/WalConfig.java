package io.auditgate.core.config;

import static io.auditgate.core.config.Check.between;
import static io.auditgate.core.config.Check.orDefault;

import java.time.Duration;

/**
 * The write-ahead log's settings (section {@code wal}). Every field may be left out; the compact
 * constructor fills in the defaults and rejects values that cannot work.
 *
 * @param segmentSize largest segment file; data leaves the log a whole segment at a time
 * @param maxRecordSize largest single record body
 * @param maxBatchSize bytes written by one group commit at most
 * @param linger how long the writer waits for more appends before forcing a batch; 0 (the default)
 *     forces as soon as the previous force returns, which batches naturally under load
 * @param maxTotalSize bytes on disk at most, counting segments every cursor has not yet passed
 * @param maxAge age of the oldest unacknowledged record at most
 * @param overflowPolicy what happens when either bound is reached
 * @param preallocation how far ahead of the data the segment being written is extended with zeros,
 *     so that most forces write data pages only and commit no file-size change; 0 disables
 */
public record WalConfig(
    DataSize segmentSize,
    DataSize maxRecordSize,
    DataSize maxBatchSize,
    Duration linger,
    DataSize maxTotalSize,
    Duration maxAge,
    OverflowPolicy overflowPolicy,
    DataSize preallocation) {

  /** What the log does when it holds {@code max_total_size} bytes or {@code max_age} of data. */
  public enum OverflowPolicy {
    /** Refuse new appends (ingest turns this into backpressure). The default: nothing is lost. */
    REFUSE,
    /** Delete the oldest segment even though a sink has not acknowledged it; counted and logged. */
    DROP_OLDEST
  }

  public WalConfig {
    segmentSize =
        between(
            "segment_size",
            orDefault(segmentSize, DataSize.ofMebibytes(64)),
            DataSize.ofKibibytes(4),
            DataSize.ofGibibytes(1));
    maxRecordSize =
        between(
            "max_record_size",
            orDefault(maxRecordSize, DataSize.ofMebibytes(1)),
            DataSize.ofBytes(1),
            DataSize.ofMebibytes(64));
    maxBatchSize =
        between(
            "max_batch_size",
            orDefault(maxBatchSize, DataSize.ofMebibytes(4)),
            DataSize.ofKibibytes(4),
            DataSize.ofMebibytes(256));
    linger =
        between("linger", orDefault(linger, Duration.ZERO), Duration.ZERO, Duration.ofSeconds(1));
    maxTotalSize =
        between(
            "max_total_size",
            orDefault(maxTotalSize, DataSize.ofGibibytes(8)),
            DataSize.ofKibibytes(8),
            DataSize.ofBytes(Long.MAX_VALUE / 2));
    maxAge =
        between(
            "max_age",
            orDefault(maxAge, Duration.ofDays(7)),
            Duration.ofSeconds(1),
            Duration.ofDays(3650));
    overflowPolicy = orDefault(overflowPolicy, OverflowPolicy.REFUSE);
    preallocation =
        between(
            "preallocation",
            orDefault(preallocation, DataSize.ofMebibytes(1)),
            DataSize.ofBytes(0),
            DataSize.ofMebibytes(64));
    Check.that(
        maxRecordSize.bytes() + 64 <= segmentSize.bytes(),
        "max_record_size",
        "must fit in one segment (segment_size " + segmentSize + "), got " + maxRecordSize);
    Check.that(
        maxTotalSize.bytes() >= 2 * segmentSize.bytes(),
        "max_total_size",
        "must hold at least two segments (2 × segment_size "
            + segmentSize
            + "), got "
            + maxTotalSize);
  }

  /** The settings, with the default preallocation. */
  public WalConfig(
      DataSize segmentSize,
      DataSize maxRecordSize,
      DataSize maxBatchSize,
      Duration linger,
      DataSize maxTotalSize,
      Duration maxAge,
      OverflowPolicy overflowPolicy) {
    this(
        segmentSize,
        maxRecordSize,
        maxBatchSize,
        linger,
        maxTotalSize,
        maxAge,
        overflowPolicy,
        null);
  }

  /** Every setting at its default. */
  public static WalConfig defaults() {
    return new WalConfig(null, null, null, null, null, null, null, null);
  }

  /** The same settings with another preallocation (0 disables it). */
  public WalConfig withPreallocation(DataSize ahead) {
    return new WalConfig(
        segmentSize,
        maxRecordSize,
        maxBatchSize,
        linger,
        maxTotalSize,
        maxAge,
        overflowPolicy,
        ahead);
  }
}

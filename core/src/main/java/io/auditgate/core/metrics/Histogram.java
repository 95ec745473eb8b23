package io.auditgate.core.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free histogram over fixed power-of-two buckets (1, 2, 4, … 2^39), good for latencies in
 * microseconds and sizes in records or bytes. Thread-safe; {@link #record} never allocates.
 */
public final class Histogram {
  static final int BUCKETS = 40;

  private final LongAdder[] counts = new LongAdder[BUCKETS];
  private final LongAdder sum = new LongAdder();

  public Histogram() {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] = new LongAdder();
    }
  }

  /** Records one observation; negative values count as 0. */
  public void record(long value) {
    long v = Math.max(0, value);
    counts[bucketOf(v)].increment();
    sum.add(v);
  }

  /** Index of the smallest bucket whose upper bound (2^index) is at least {@code value}. */
  static int bucketOf(long value) {
    if (value <= 1) {
      return 0;
    }
    int bucket = 64 - Long.numberOfLeadingZeros(value - 1);
    return Math.min(bucket, BUCKETS - 1);
  }

  public HistogramSnapshot snapshot() {
    long[] copy = new long[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      copy[i] = counts[i].sum();
    }
    return new HistogramSnapshot(copy, sum.sum());
  }
}

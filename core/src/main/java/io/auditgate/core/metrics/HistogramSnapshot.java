package io.auditgate.core.metrics;

import java.util.Arrays;

/**
 * Counts per power-of-two bucket: {@code counts[i]} observations were at most {@code 2^i} (and more
 * than {@code 2^(i-1)}); the last bucket also holds everything larger.
 */
public record HistogramSnapshot(long[] counts, long sum) {
  public HistogramSnapshot {
    counts = counts.clone();
  }

  /** A copy of the counts: a snapshot is a value, so callers must not be able to change it. */
  @Override
  public long[] counts() {
    return counts.clone();
  }

  public static HistogramSnapshot empty() {
    return new HistogramSnapshot(new long[Histogram.BUCKETS], 0);
  }

  /** Upper bound of bucket {@code i}. */
  public static long upperBound(int i) {
    return 1L << i;
  }

  public long count() {
    return Arrays.stream(counts).sum();
  }

  public double mean() {
    long n = count();
    return n == 0 ? 0 : (double) sum / n;
  }

  /**
   * The upper bound of the bucket holding the {@code q}-quantile: an over-estimate by at most a
   * factor of two, never an under-estimate.
   */
  public long quantileUpperBound(double q) {
    if (q < 0 || q > 1) {
      throw new IllegalArgumentException("q must be in [0, 1], got " + q);
    }
    long n = count();
    if (n == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(q * n));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return upperBound(i);
      }
    }
    return upperBound(counts.length - 1);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HistogramSnapshot that
        && sum == that.sum
        && Arrays.equals(counts, that.counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts) * 31 + Long.hashCode(sum);
  }

  @Override
  public String toString() {
    return "HistogramSnapshot[count=%d, sum=%d, p50<=%d, p99<=%d]"
        .formatted(count(), sum, quantileUpperBound(0.5), quantileUpperBound(0.99));
  }
}

package io.auditgate.pipeline.internal;

/**
 * Events per second over a sliding window of whole seconds, by a clock the caller reads. A ring of
 * per-second counts: recording and reading are O(window) at worst and allocate nothing.
 *
 * <p>Thread-safe.
 */
public final class RateMeter {
  private final int windowSeconds;
  private final long[] seconds;
  private final long[] counts;
  private final long startMillis;

  public RateMeter(int windowSeconds, long startMillis) {
    if (windowSeconds < 1) {
      throw new IllegalArgumentException("windowSeconds must be >= 1, got " + windowSeconds);
    }
    this.windowSeconds = windowSeconds;
    this.seconds = new long[windowSeconds];
    this.counts = new long[windowSeconds];
    java.util.Arrays.fill(seconds, Long.MIN_VALUE);
    this.startMillis = startMillis;
  }

  /** Counts {@code n} events at {@code nowMillis}. */
  public synchronized void record(long n, long nowMillis) {
    long second = Math.floorDiv(nowMillis, 1000);
    int slot = (int) Math.floorMod(second, windowSeconds);
    if (seconds[slot] != second) {
      seconds[slot] = second;
      counts[slot] = 0;
    }
    counts[slot] += n;
  }

  /**
   * Events per second over the last {@code windowSeconds} (the current second included), or since
   * the meter started if that is shorter, as of {@code nowMillis}.
   */
  public synchronized double perSecond(long nowMillis) {
    long second = Math.floorDiv(nowMillis, 1000);
    long oldest = second - windowSeconds + 1;
    long sum = 0;
    for (int i = 0; i < windowSeconds; i++) {
      if (seconds[i] >= oldest && seconds[i] <= second) {
        sum += counts[i];
      }
    }
    long windowStartMillis = Math.max(oldest * 1000, startMillis);
    long spanMillis = Math.max(1000, nowMillis - windowStartMillis);
    return sum * 1000.0 / spanMillis;
  }
}

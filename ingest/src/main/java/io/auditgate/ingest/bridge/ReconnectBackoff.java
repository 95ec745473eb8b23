package io.auditgate.ingest.bridge;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: attempt {@code n} waits between half and all of {@code initial ×
 * 2^n}, capped at {@code max}. The jitter keeps many gateways that lost the same broker from
 * reconnecting in lockstep.
 *
 * <p>Thread-safety: immutable, if the random source is thread-safe.
 */
final class ReconnectBackoff {
  private final Duration initial;
  private final Duration max;
  private final DoubleSupplier random;

  /**
   * @param random uniform values in [0, 1)
   */
  ReconnectBackoff(Duration initial, Duration max, DoubleSupplier random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "need 0 < initial <= max, got initial " + initial + " and max " + max);
    }
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  /** The pause before attempt {@code attempt} (0 for the first retry). */
  Duration delay(int attempt) {
    long maxNanos = max.toNanos();
    long base = initial.toNanos();
    for (int i = 0; i < attempt && base < maxNanos; i++) {
      base = Math.min(maxNanos, base * 2);
    }
    base = Math.min(maxNanos, base);
    long half = base / 2;
    return Duration.ofNanos(half + (long) (random.getAsDouble() * (base - half)));
  }
}

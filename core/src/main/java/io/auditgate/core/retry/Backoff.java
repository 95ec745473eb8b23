package io.auditgate.core.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * Capped exponential backoff with full jitter: the delay before retry {@code n} (0-based) is drawn
 * uniformly from {@code [0, min(max, initial × 2^n)]}. Randomising the whole delay, not just a
 * margin, spreads the retries of many gateways that lost the same broker at the same moment, so
 * they do not hit it in lockstep when it returns.
 *
 * <p>Thread-safe if {@code random} is ({@link Random} is).
 */
public final class Backoff {
  private final long initialNanos;
  private final long maxNanos;
  private final Random random;

  public Backoff(Duration initial, Duration max, Random random) {
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
    this.random = Objects.requireNonNull(random, "random");
    if (initialNanos <= 0 || maxNanos < initialNanos) {
      throw new IllegalArgumentException(
          "backoff needs 0 < initial <= max, got " + initial + " and " + max);
    }
  }

  /** The ceiling of retry {@code attempt}'s delay: {@code min(max, initial × 2^attempt)}. */
  public Duration ceiling(int attempt) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must be >= 0, got " + attempt);
    }
    long ceiling = initialNanos;
    // Double step by step rather than shift, which would overflow long before the loop ends.
    for (int i = 0; i < attempt && ceiling < maxNanos; i++) {
      ceiling = ceiling > maxNanos / 2 ? maxNanos : ceiling * 2;
    }
    ceiling = Math.min(ceiling, maxNanos);
    return Duration.ofNanos(ceiling);
  }

  /** A delay for retry {@code attempt}, uniformly in {@code [0, ceiling(attempt)]}. */
  public Duration delay(int attempt) {
    long ceiling = ceiling(attempt).toNanos();
    return Duration.ofNanos((long) (random.nextDouble() * ceiling));
  }
}

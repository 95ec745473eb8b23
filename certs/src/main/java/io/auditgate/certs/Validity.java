package io.auditgate.certs;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A certificate's validity window relative to the CA clock's "now": {@code notBefore = now +
 * notBeforeOffset}, {@code notAfter = now + notAfterOffset}. Relative so that a test or a simulator
 * scenario can ask for an already-expired or a not-yet-valid certificate without knowing the time.
 *
 * @param notBeforeOffset added to now for the start (negative to backdate)
 * @param notAfterOffset added to now for the end; after the start
 */
public record Validity(Duration notBeforeOffset, Duration notAfterOffset) {
  /**
   * Fresh certificates start this far in the past, so a device whose clock lags a little behind the
   * CA's does not see a certificate from the future.
   */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  public Validity {
    Objects.requireNonNull(notBeforeOffset, "notBeforeOffset");
    Objects.requireNonNull(notAfterOffset, "notAfterOffset");
    if (notAfterOffset.compareTo(notBeforeOffset) <= 0) {
      throw new IllegalArgumentException(
          "notAfterOffset " + notAfterOffset + " must be after notBeforeOffset " + notBeforeOffset);
    }
  }

  /** Valid from now (less {@link #CLOCK_SKEW}) for {@code lifetime}. */
  public static Validity of(Duration lifetime) {
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("lifetime must be positive, got " + lifetime);
    }
    return new Validity(CLOCK_SKEW.negated(), lifetime);
  }

  public static Validity days(long days) {
    return of(Duration.ofDays(days));
  }

  /** Valid from two days ago until one day ago: expired now. */
  public static Validity expired() {
    return new Validity(Duration.ofDays(-2), Duration.ofDays(-1));
  }

  /** Valid from tomorrow for a day: not valid yet. */
  public static Validity notYetValid() {
    return new Validity(Duration.ofDays(1), Duration.ofDays(2));
  }

  /** The start for a CA whose clock reads {@code now}, in the whole seconds X.509 stores. */
  public Instant notBefore(Instant now) {
    return now.plus(notBeforeOffset).truncatedTo(ChronoUnit.SECONDS);
  }

  /** The end for a CA whose clock reads {@code now}, in whole seconds. */
  public Instant notAfter(Instant now) {
    return now.plus(notAfterOffset).truncatedTo(ChronoUnit.SECONDS);
  }
}

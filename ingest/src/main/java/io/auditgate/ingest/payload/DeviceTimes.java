package io.auditgate.ingest.payload;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Device clocks, read from the two wire formats. Every instant accepted lies in years 0000..9999,
 * the range RFC 3339 can write, so the envelope can always carry it back out.
 */
final class DeviceTimes {
  /** 0000-01-01T00:00:00Z. */
  static final long MIN_EPOCH_SECOND = -62_167_219_200L;

  /** 9999-12-31T23:59:59Z. */
  static final long MAX_EPOCH_SECOND = 253_402_300_799L;

  // RFC 3339 §5.6 date-time, with at most nanosecond precision (all java.time can hold).
  private static final Pattern RFC_3339 =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

  private DeviceTimes() {}

  /** An RFC 3339 date-time such as {@code 2024-05-01T12:00:00.5+02:00}; empty if it is not one. */
  static Optional<Instant> parseRfc3339(String text) {
    if (!RFC_3339.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      String upper = text.toUpperCase(Locale.ROOT);
      return Optional.of(OffsetDateTime.parse(upper, DateTimeFormatter.ISO_OFFSET_DATE_TIME))
          .map(OffsetDateTime::toInstant)
          .filter(DeviceTimes::inRange);
    } catch (DateTimeException e) {
      // The shape matched but the fields did not (month 13, second 60, offset +25:00).
      return Optional.empty();
    }
  }

  /**
   * Seconds since the epoch as a SenML double, kept to the microsecond: near today a double
   * resolves about 0.24 µs, so finer digits are noise. Empty if out of range or not finite.
   */
  static Optional<Instant> fromEpochSeconds(double seconds) {
    if (!Double.isFinite(seconds)
        || seconds < MIN_EPOCH_SECOND
        || seconds >= MAX_EPOCH_SECOND + 1.0) {
      return Optional.empty();
    }
    long micros = Math.round(seconds * 1e6);
    long whole = Math.floorDiv(micros, 1_000_000L);
    long nanos = Math.floorMod(micros, 1_000_000L) * 1_000L;
    Instant at = Instant.ofEpochSecond(whole, nanos);
    return inRange(at) ? Optional.of(at) : Optional.empty();
  }

  /** {@code seconds} after {@code now} (negative: before), to the µs; empty if out of range. */
  static Optional<Instant> relativeTo(Instant now, double seconds) {
    if (!Double.isFinite(seconds) || Math.abs(seconds) > MAX_EPOCH_SECOND - MIN_EPOCH_SECOND) {
      return Optional.empty();
    }
    Instant at = now.plus(Math.round(seconds * 1e6), ChronoUnit.MICROS);
    return inRange(at) ? Optional.of(at) : Optional.empty();
  }

  static boolean inRange(Instant at) {
    return at.getEpochSecond() >= MIN_EPOCH_SECOND && at.getEpochSecond() <= MAX_EPOCH_SECOND;
  }
}

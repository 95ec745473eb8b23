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
    Instant utc = utcOrNull(text);
    return utc != null ? Optional.of(utc) : parseGeneral(text);
  }

  /**
   * The form devices and the simulator send almost always, {@code 2024-05-01T12:00:00.123Z}, read
   * by hand: the regular expression and {@link OffsetDateTime#parse} cost more per message than the
   * rest of the payload. Null when {@code text} is anything else, or a field is out of range, so
   * that {@link #parseGeneral} decides and words it: the two cannot disagree on an instant.
   */
  private static Instant utcOrNull(String text) {
    int n = text.length();
    if (n < 20 || n > 30 || text.charAt(n - 1) != 'Z') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    if ((year | month | day | hour | minute | second) < 0
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':'
        || month < 1
        || month > 12
        || day < 1
        || day > java.time.YearMonth.of(year, month).lengthOfMonth()
        || hour > 23
        || minute > 59
        || second > 59) {
      return null;
    }
    int nanos = 0;
    if (n > 20) {
      int fraction = n - 21; // between the '.' and the 'Z'
      if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
        return null;
      }
      nanos = digits(text, 20, fraction);
      if (nanos < 0) {
        return null;
      }
      for (int i = fraction; i < 9; i++) {
        nanos *= 10;
      }
    }
    long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
  }

  /** The decimal number in {@code text[from, from + count)}, or -1 if a character is no digit. */
  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** Any RFC 3339 date-time, by the regular expression and {@link OffsetDateTime#parse}. */
  static Optional<Instant> parseGeneral(String text) {
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

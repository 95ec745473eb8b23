package io.auditgate.app.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in configuration: {@code 250ms}, {@code 5s}, {@code 7d}. */
public final class Durations {
  private static final Pattern FORM =
      Pattern.compile("^\\s*(\\d+)\\s*(us|ms|s|m|h|d)\\s*$", Pattern.CASE_INSENSITIVE);

  private Durations() {}

  public static Duration parse(String text) {
    Matcher m = FORM.matcher(text);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2).toLowerCase(Locale.ROOT)) {
        case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1000L));
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a duration; write a number with us, ms, s, m, h or d (e.g. 250ms)");
    }
  }

  /** The largest exact unit: {@code 7d}, {@code 90m}, {@code 250ms}, {@code 0s}. */
  public static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    long[] units = {
      86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L
    };
    String[] names = {"d", "h", "m", "s", "ms", "us"};
    for (int i = 0; i < units.length; i++) {
      if (nanos % units[i] == 0) {
        return (nanos / units[i]) + names[i];
      }
    }
    return d.toString();
  }
}

package io.auditgate.web.http;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed query parameters. Every parse failure is a 400 {@code bad_request} naming the parameter, so
 * handlers never build that message themselves. A parameter given twice is a 400 too: silently
 * taking one of two values hides client bugs.
 *
 * <p>Durations are ISO-8601 ({@code PT5M}) or a number with a unit: {@code 30s}, {@code 5m}, {@code
 * 1h}, {@code 7d}. Times are RFC 3339 ({@code 2026-11-28T17:00:00Z}).
 */
public final class QueryParameters {
  private static final Pattern SHORT_DURATION = Pattern.compile("^(\\d{1,9})(ms|s|m|h|d)$");

  private final Map<String, List<String>> values;

  QueryParameters(Map<String, List<String>> values) {
    this.values = values;
  }

  public Optional<String> string(String name) {
    return raw(name, 256);
  }

  /**
   * A comma-separated list ({@code metric=temperature,humidity}), blanks dropped.
   *
   * @param maxItems more items are a 400
   */
  public List<String> list(String name, int maxItems) {
    List<String> items =
        raw(name, 16_384)
            .map(
                v ->
                    Arrays.stream(v.split(","))
                        .map(String::trim)
                        .filter(x -> !x.isEmpty())
                        .toList())
            .orElse(List.of());
    if (items.size() > maxItems) {
      throw ApiProblem.badParameter(name, "at most " + maxItems + " items, got " + items.size());
    }
    return items;
  }

  private Optional<String> raw(String name, int maxChars) {
    List<String> given = values.get(name);
    if (given == null || given.isEmpty()) {
      return Optional.empty();
    }
    if (given.size() > 1) {
      throw ApiProblem.badParameter(name, "given " + given.size() + " times, expected once");
    }
    String value = given.get(0);
    if (value.length() > maxChars) {
      throw ApiProblem.badParameter(name, "longer than " + maxChars + " characters");
    }
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  public OptionalInt integer(String name, int min, int max) {
    Optional<String> raw = string(name);
    if (raw.isEmpty()) {
      return OptionalInt.empty();
    }
    int value;
    try {
      value = Integer.parseInt(raw.get());
    } catch (NumberFormatException e) {
      throw ApiProblem.badParameter(name, "must be an integer, got '" + raw.get() + "'");
    }
    if (value < min || value > max) {
      throw ApiProblem.badParameter(
          name, "must be between " + min + " and " + max + ", got " + value);
    }
    return OptionalInt.of(value);
  }

  public Optional<Instant> instant(String name) {
    return string(name)
        .map(
            raw -> {
              try {
                return Instant.parse(raw);
              } catch (DateTimeParseException e) {
                throw ApiProblem.badParameter(
                    name,
                    "must be an RFC 3339 time such as 2026-11-28T17:00:00Z, got '" + raw + "'");
              }
            });
  }

  public Optional<Duration> duration(String name, Duration min, Duration max) {
    return string(name)
        .map(
            raw -> {
              Duration d = parseDuration(raw);
              if (d == null) {
                throw ApiProblem.badParameter(
                    name, "must be a duration such as 30s, 5m, 1h, 7d or PT5M, got '" + raw + "'");
              }
              if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw ApiProblem.badParameter(
                    name, "must be between " + min + " and " + max + ", got " + raw);
              }
              return d;
            });
  }

  /** {@code 30s/5m/1h/7d/250ms} or ISO-8601; null when it is neither. */
  public static Duration parseDuration(String raw) {
    Matcher m = SHORT_DURATION.matcher(raw.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(raw);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}

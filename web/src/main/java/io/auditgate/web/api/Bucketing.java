package io.auditgate.web.api;

import java.time.Duration;
import java.util.List;

/**
 * Picks a bucket width when the client does not: the smallest "round" width that gives at most
 * {@link #TARGET_BUCKETS} buckets over the range, so a chart gets a few hundred points whatever the
 * range (a week of a 1 Hz sensor is 600,000 raw points; 168 hourly buckets draw the same shape).
 * The round widths line up with the store's minute and hour rollups.
 */
final class Bucketing {
  static final int TARGET_BUCKETS = 300;

  private static final List<Duration> ROUND =
      List.of(
          Duration.ofSeconds(1),
          Duration.ofSeconds(5),
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofMinutes(1),
          Duration.ofMinutes(5),
          Duration.ofMinutes(10),
          Duration.ofMinutes(30),
          Duration.ofHours(1),
          Duration.ofHours(3),
          Duration.ofHours(6),
          Duration.ofHours(12),
          Duration.ofDays(1));

  private Bucketing() {}

  /**
   * @param range the span to cover
   * @param minimum the smallest width allowed (1 s for device series, 1 min for gateway samples)
   */
  static Duration auto(Duration range, Duration minimum) {
    for (Duration width : ROUND) {
      if (width.compareTo(minimum) >= 0 && range.dividedBy(width) <= TARGET_BUCKETS) {
        return width;
      }
    }
    long days = Math.max(1, range.toDays() / TARGET_BUCKETS + 1);
    return Duration.ofDays(days);
  }
}

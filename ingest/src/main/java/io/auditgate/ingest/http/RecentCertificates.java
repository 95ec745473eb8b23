package io.auditgate.ingest.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which (device, certificate) pairs were reported recently, so that a device that opens a new
 * connection for every request is reported once per interval rather than once per connection.
 *
 * <p>Bounded: at most {@code maxEntries} pairs are remembered; past that the longest-remembered is
 * forgotten, which at worst reports its pair again early. Entries older than the interval are
 * dropped as new ones arrive, so the map holds only the pairs seen within one interval.
 *
 * <p>A clock stepped back keeps a pair quiet for the step longer than the interval: an event late,
 * never a flood.
 *
 * <p>Thread-safe (one lock, held for a map operation; called once per TLS connection). Never blocks
 * on I/O.
 */
final class RecentCertificates {
  private final Duration interval;
  private final int maxEntries;
  private final Clock clock;

  // Insertion order is report order (a pair reported again is removed and re-put), so the eldest
  // entry is always the first to expire.
  private final LinkedHashMap<String, Instant> reportedAt;

  /**
   * @param interval how long a reported pair is not reported again; zero reports every time
   * @param maxEntries most pairs remembered at once (at least 1)
   * @param clock the time of each report
   */
  RecentCertificates(Duration interval, int maxEntries, Clock clock) {
    this.interval = Objects.requireNonNull(interval, "interval");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("interval must not be negative, got " + interval);
    }
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
    }
    this.maxEntries = maxEntries;
    this.reportedAt =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > RecentCertificates.this.maxEntries;
          }
        };
  }

  /**
   * Whether {@code sha256} presented by {@code deviceId} should be reported now: true when the pair
   * was not reported within the interval, and then it counts as reported now.
   */
  synchronized boolean shouldReport(String deviceId, String sha256) {
    Instant now = clock.instant();
    expire(now);
    String key = deviceId + '/' + sha256;
    Instant last = reportedAt.get(key);
    if (last != null && now.isBefore(last.plus(interval))) {
      return false;
    }
    reportedAt.remove(key);
    reportedAt.put(key, now);
    return true;
  }

  /** Pairs remembered now. */
  synchronized int size() {
    return reportedAt.size();
  }

  private void expire(Instant now) {
    Iterator<Instant> eldest = reportedAt.values().iterator();
    while (eldest.hasNext() && !now.isBefore(eldest.next().plus(interval))) {
      eldest.remove();
    }
  }
}

package io.auditgate.ingest.http;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per device: {@code perSecond} requests a second, with a burst of one second's
 * worth, so a device that sends at its rate is never refused while a misbehaving one cannot take
 * the log's bandwidth from the rest of the fleet. A batch is one request.
 */
final class DeviceRateLimiter {
  /**
   * Buckets kept at most. Only authenticated (or, when allowed, anonymous) devices get one; past
   * this many the map is cleared, which at worst forgives a burst, rather than grow without bound.
   */
  static final int MAX_DEVICES = 100_000;

  private final int perSecond;
  private final Clock clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  /**
   * @param perSecond requests per second per device; 0 disables the limit
   */
  DeviceRateLimiter(int perSecond, Clock clock) {
    this.perSecond = perSecond;
    this.clock = clock;
  }

  /** Takes one request's token; empty if granted, else how long until one is available. */
  Optional<Duration> tryAcquire(String deviceId) {
    if (perSecond == 0) {
      return Optional.empty();
    }
    if (buckets.size() >= MAX_DEVICES && !buckets.containsKey(deviceId)) {
      buckets.clear();
    }
    long now = clock.millis();
    return buckets.computeIfAbsent(deviceId, d -> new Bucket(perSecond, now)).take(now);
  }

  private static final class Bucket {
    private final double capacity;
    private final double perMilli;
    private double tokens;
    private long lastMillis;

    Bucket(int perSecond, long now) {
      this.capacity = perSecond;
      this.perMilli = perSecond / 1000.0;
      this.tokens = perSecond;
      this.lastMillis = now;
    }

    synchronized Optional<Duration> take(long now) {
      // A clock stepped backwards must not drain the bucket.
      long elapsed = Math.max(0, now - lastMillis);
      lastMillis = Math.max(lastMillis, now);
      tokens = Math.min(capacity, tokens + elapsed * perMilli);
      if (tokens >= 1) {
        tokens -= 1;
        return Optional.empty();
      }
      return Optional.of(Duration.ofMillis((long) Math.ceil((1 - tokens) / perMilli)));
    }
  }
}

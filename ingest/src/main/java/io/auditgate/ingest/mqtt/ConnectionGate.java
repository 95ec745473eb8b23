package io.auditgate.ingest.mqtt;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission at accept time: at most {@code maxConnections} admitted connections open at once, and
 * new ones at no more than {@code perSecond} a second (a token bucket holding one second's worth,
 * refilled from the injected clock). Refused connections are answered with a CONNACK refusal when
 * their CONNECT arrives, but only up to {@link #MAX_LINGERING_REFUSALS} at a time; beyond that they
 * are closed at once, so that a flood costs the gateway as little as possible.
 *
 * <p>Thread-safety: safe from every event loop.
 */
final class ConnectionGate {
  static final int MAX_LINGERING_REFUSALS = 64;

  private final int maxConnections;
  private final int perSecond;
  private final Clock clock;
  private final AtomicInteger admitted = new AtomicInteger();
  private final AtomicInteger lingering = new AtomicInteger();
  private double tokens;
  private long refilledAtMillis;

  ConnectionGate(int maxConnections, int perSecond, Clock clock) {
    this.maxConnections = maxConnections;
    this.perSecond = perSecond;
    this.clock = clock;
    this.tokens = perSecond;
    this.refilledAtMillis = clock.millis();
  }

  /** Admits a new connection, or says why not; an admitted one must be {@link #released}. */
  Optional<ConnectRefusal> admit() {
    if (!takeToken()) {
      return Optional.of(ConnectRefusal.RATE_LIMITED);
    }
    if (admitted.incrementAndGet() > maxConnections) {
      admitted.decrementAndGet();
      return Optional.of(ConnectRefusal.MAX_CONNECTIONS);
    }
    return Optional.empty();
  }

  void released() {
    admitted.decrementAndGet();
  }

  /** Whether a refused connection may wait for its CONNECT to be told why; then {@link #done}. */
  boolean mayLinger() {
    if (lingering.incrementAndGet() > MAX_LINGERING_REFUSALS) {
      lingering.decrementAndGet();
      return false;
    }
    return true;
  }

  void done() {
    lingering.decrementAndGet();
  }

  private synchronized boolean takeToken() {
    long now = clock.millis();
    // A clock that steps backwards refills nothing rather than draining the bucket.
    long elapsed = Math.max(0, now - refilledAtMillis);
    tokens = Math.min(perSecond, tokens + elapsed * (perSecond / 1000.0));
    refilledAtMillis = now;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}

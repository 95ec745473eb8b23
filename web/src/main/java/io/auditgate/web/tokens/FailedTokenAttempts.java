package io.auditgate.web.tokens;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Slows down token guessing: after {@code maxFailures} failed token attempts from one remote
 * address within {@code window}, that address's requests to token-protected routes are refused
 * (HTTP 429 {@code too_many_failed_attempts} with {@code Retry-After}) without the token being
 * looked at, until the oldest of those failures is {@code window} old. A success does not clear the
 * failures: whoever holds a valid token has no reason to fail.
 *
 * <p>What counts as a failure is the router's business: a presented token (or a non-Bearer {@code
 * Authorization} header) that authenticates nothing. A request without any credential is no guess
 * and is not counted.
 *
 * <p>Bounded memory: at most {@link #MAX_TRACKED_ADDRESSES} addresses are tracked, each with at
 * most {@code maxFailures} instants; beyond that the least recently seen address is forgotten
 * (someone with that many addresses is not stopped by a per-address limit anyway).
 *
 * <p>Thread-safety: thread-safe; every method takes one short lock and never blocks otherwise.
 */
public final class FailedTokenAttempts {
  /** How many remote addresses are remembered at most. */
  public static final int MAX_TRACKED_ADDRESSES = 10_000;

  private final int maxFailures;
  private final Duration window;
  private final Clock clock;
  private final Map<String, ArrayDeque<Instant>> failures =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Instant>> eldest) {
          return size() > MAX_TRACKED_ADDRESSES;
        }
      };
  private long failedTotal;
  private long refusedTotal;

  /**
   * @param maxFailures failures allowed within the window, at least 1
   * @param window how far back failures count, positive
   */
  public FailedTokenAttempts(int maxFailures, Duration window, Clock clock) {
    if (maxFailures < 1) {
      throw new IllegalArgumentException("maxFailures must be at least 1, got " + maxFailures);
    }
    Objects.requireNonNull(window, "window");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, got " + window);
    }
    this.maxFailures = maxFailures;
    this.window = window;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * No limit: failures are counted, nobody is refused, nothing is remembered per address. For
   * routers built by tests and tools.
   */
  public static FailedTokenAttempts unlimited() {
    return new FailedTokenAttempts(
        UNLIMITED, Duration.ofSeconds(1), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
  }

  private static final int UNLIMITED = Integer.MAX_VALUE;

  /**
   * Whether {@code address} is refused now; a refusal is counted.
   *
   * @return how long until it may try again, when refused (at least one second: {@code Retry-After}
   *     counts whole seconds)
   */
  public synchronized Optional<Duration> refusal(String address) {
    if (maxFailures == UNLIMITED) {
      return Optional.empty();
    }
    ArrayDeque<Instant> recent = failures.get(address);
    if (recent == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    expire(recent, now);
    if (recent.isEmpty()) {
      failures.remove(address);
      return Optional.empty();
    }
    if (recent.size() < maxFailures) {
      return Optional.empty();
    }
    refusedTotal++;
    Duration wait = Duration.between(now, recent.peekFirst().plus(window));
    return Optional.of(wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait);
  }

  /** Records a failed attempt from {@code address}. */
  public synchronized void failed(String address) {
    failedTotal++;
    if (maxFailures == UNLIMITED) {
      return;
    }
    Instant now = clock.instant();
    ArrayDeque<Instant> recent = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
    expire(recent, now);
    recent.addLast(now);
    while (recent.size() > maxFailures) {
      recent.removeFirst();
    }
  }

  private void expire(ArrayDeque<Instant> recent, Instant now) {
    Instant cutoff = now.minus(window);
    while (!recent.isEmpty() && !recent.peekFirst().isAfter(cutoff)) {
      recent.removeFirst();
    }
  }

  /** The counters, for the metrics endpoint. */
  public synchronized Snapshot metrics() {
    return new Snapshot(failedTotal, refusedTotal, failures.size());
  }

  /**
   * @param failedAttempts failed token attempts since start
   * @param refusedAttempts requests refused with 429 since start, their token unchecked
   * @param trackedAddresses remote addresses with failures remembered now
   */
  public record Snapshot(long failedAttempts, long refusedAttempts, int trackedAddresses) {}
}

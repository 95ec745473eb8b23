package io.auditgate.ingest.auth;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops sessions opened before their certificate was revoked. The handshake refuses revoked
 * certificates ({@code RevocationTrustManager}), but a device connected yesterday keeps its
 * connection: every {@code interval} this sweep re-checks the peer certificate of every open MQTT
 * connection and HTTPS connection and closes those now revoked, with reason {@value #REASON}.
 *
 * <p>A revocation is noticed within the time the {@link RevocationCheck} needs to learn of it plus
 * one interval; the app runs both every half of {@code
 * certificates.revocation.drop_sessions_within}.
 *
 * <p>Thread-safety: one daemon thread sweeps; {@link #metrics()} and {@link #close()} are safe from
 * any thread.
 */
public final class RevokedSessionSweeper implements AutoCloseable {
  /** The reason every drop is counted and reported under. */
  public static final String REASON = "certificate_revoked";

  private static final Logger log = LoggerFactory.getLogger(RevokedSessionSweeper.class);

  private final RevocationCheck revocation;
  private final List<RevocableSessions> listeners;
  private final Map<String, LongAdder> dropped = new ConcurrentHashMap<>();
  private final AtomicLong sweeps = new AtomicLong();
  private final ScheduledExecutorService timer;

  /** Starts sweeping every {@code interval} (1 s to 60 s). */
  public RevokedSessionSweeper(
      RevocationCheck revocation, List<RevocableSessions> listeners, Duration interval) {
    this.revocation = Objects.requireNonNull(revocation, "revocation");
    this.listeners = List.copyOf(listeners);
    Objects.requireNonNull(interval, "interval");
    if (interval.toMillis() < 1000 || interval.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new IllegalArgumentException("interval must be between 1s and 60s, got " + interval);
    }
    this.listeners.forEach(l -> dropped.put(l.listener(), new LongAdder()));
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "revoked-session-sweep");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        this::sweepSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One sweep now; returns how many sessions it dropped. Also what the timer runs. */
  public int sweep() {
    int total = 0;
    for (RevocableSessions listener : listeners) {
      int n = listener.dropRevoked().applyAsInt(revocation);
      if (n > 0) {
        dropped.get(listener.listener()).add(n);
        log.warn("dropped {} {} session(s): {}", n, listener.listener(), REASON);
      }
      total += n;
    }
    sweeps.incrementAndGet();
    return total;
  }

  /** The counters so far. */
  public Metrics metrics() {
    Map<String, Long> byListener = new TreeMap<>();
    dropped.forEach((listener, count) -> byListener.put(listener, count.sum()));
    return new Metrics(sweeps.get(), byListener);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private void sweepSafely() {
    try {
      sweep();
    } catch (RuntimeException e) {
      // A failing listener must not stop the sweeps: the next one retries.
      log.error("the revoked-session sweep failed", e);
    }
  }

  /**
   * A snapshot of the sweep's counters.
   *
   * @param sweeps sweeps done since start
   * @param dropped sessions closed because their certificate was revoked, by listener; the reason
   *     is always {@value RevokedSessionSweeper#REASON}
   */
  public record Metrics(long sweeps, Map<String, Long> dropped) {
    public Metrics {
      dropped = Map.copyOf(dropped);
    }

    /** The reason the drops are counted under. */
    public String reason() {
      return REASON;
    }
  }
}

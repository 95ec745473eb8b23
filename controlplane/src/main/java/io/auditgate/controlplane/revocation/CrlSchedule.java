package io.auditgate.controlplane.revocation;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the published CRL fresh when nothing is revoked for a while: every {@code checkEvery} it
 * asks {@link Revocations#refreshCrlIfDue()}, which re-signs once half the CRL's validity has
 * passed. A failed attempt (database down) is logged and retried at the next tick; the CRL still
 * published stays valid until its nextUpdate, which leaves half a validity period to recover.
 *
 * <p>Thread-safety: {@link #close()} may be called from any thread; one daemon thread does the
 * work.
 */
public final class CrlSchedule implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CrlSchedule.class);
  private final ScheduledExecutorService timer;

  private CrlSchedule(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** Starts checking now and then every {@code checkEvery} (at least 1 second). */
  public static CrlSchedule start(Revocations revocations, Duration checkEvery) {
    Objects.requireNonNull(revocations, "revocations");
    if (checkEvery.toMillis() < 1000) {
      throw new IllegalArgumentException("checkEvery must be at least 1s, got " + checkEvery);
    }
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "auditgate-crl-schedule");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            revocations.refreshCrlIfDue();
          } catch (RuntimeException e) {
            log.warn("cannot refresh the CRL; the published one stays until its nextUpdate", e);
          }
        },
        0,
        checkEvery.toMillis(),
        TimeUnit.MILLISECONDS);
    return new CrlSchedule(timer);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

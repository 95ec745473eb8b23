package io.auditgate.controlplane.replacement;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the workflow on one daemon thread every {@code interval}: {@link
 * ReplacementWorkflow#advance} always (replacements started through the API need it too) and {@link
 * ReplacementWorkflow#renewDue} when automatic renewal is on. A failing run is logged and the next
 * one tries again.
 *
 * <p>Thread-safety: {@link #close} may be called from any thread; it waits for a run in progress.
 */
public final class RenewalScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RenewalScheduler.class);

  /** Replacements started by one check, so that a fleet due at once is spread over checks. */
  static final int MAX_STARTS_PER_CHECK = 100;

  private final ScheduledExecutorService executor;

  private RenewalScheduler(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  /** Starts the schedule; the first run is one interval from now. */
  public static RenewalScheduler start(ReplacementWorkflow workflow, Duration interval) {
    Objects.requireNonNull(workflow, "workflow");
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "certificate-renewal");
              t.setDaemon(true);
              return t;
            });
    long millis = interval.toMillis();
    executor.scheduleWithFixedDelay(() -> runOnce(workflow), millis, millis, TimeUnit.MILLISECONDS);
    return new RenewalScheduler(executor);
  }

  /** One check: advance, then start what is due when automatic renewal is on. */
  static void runOnce(ReplacementWorkflow workflow) {
    try {
      AdvanceReport report = workflow.advance();
      report
          .completed()
          .forEach(
              c ->
                  log.info(
                      "certificate of {} replaced: {} -> {}",
                      c.deviceId(),
                      c.oldSha256(),
                      c.newSha256()));
      report
          .blocked()
          .forEach(b -> log.warn("replacement of {} blocked: {}", b.oldSha256(), b.reason()));
      if (workflow.policy().automatic()) {
        workflow
            .renewDue(MAX_STARTS_PER_CHECK)
            .forEach(s -> log.info("automatic renewal started for {}", s));
      }
    } catch (RuntimeException e) {
      log.warn("certificate renewal check failed, retrying at the next interval: {}", e.toString());
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

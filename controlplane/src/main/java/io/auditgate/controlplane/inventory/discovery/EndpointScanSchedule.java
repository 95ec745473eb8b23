package io.auditgate.controlplane.inventory.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scans the configured endpoints every interval on one daemon thread, one after the other (a slow
 * endpoint delays the next, it never piles scans up). A scan that throws (the database away) is
 * logged and the schedule goes on.
 *
 * <p>Thread-safe; {@link #close} stops the thread and waits up to the scanner's timeout.
 */
public final class EndpointScanSchedule implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EndpointScanSchedule.class);

  private final ScheduledExecutorService executor;

  private EndpointScanSchedule(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  /** Starts scanning {@code endpoints} now and then every {@code interval} (at least 10 s). */
  public static EndpointScanSchedule start(
      TlsEndpointScanner scanner, List<TlsEndpoint> endpoints, Duration interval) {
    Objects.requireNonNull(scanner, "scanner");
    List<TlsEndpoint> targets = List.copyOf(endpoints);
    if (interval.toSeconds() < 10) {
      throw new IllegalArgumentException("interval must be at least 10 s, got " + interval);
    }
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "certificate-endpoint-scans");
              t.setDaemon(true);
              return t;
            });
    executor.scheduleWithFixedDelay(
        () -> scanAll(scanner, targets), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return new EndpointScanSchedule(executor);
  }

  private static void scanAll(TlsEndpointScanner scanner, List<TlsEndpoint> targets) {
    for (TlsEndpoint endpoint : targets) {
      try {
        ScanResult result = scanner.scan(endpoint);
        if (result instanceof ScanResult.Failed failed) {
          log.warn(
              "scan of {} failed ({}): {}", endpoint, failed.reason().code(), failed.message());
        }
      } catch (RuntimeException e) {
        log.warn("scan of {} could not be recorded", endpoint, e);
      }
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

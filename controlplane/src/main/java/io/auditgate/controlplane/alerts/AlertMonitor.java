package io.auditgate.controlplane.alerts;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the alerts on their own daemon thread: evaluates every {@code evaluateEvery} and drains the
 * webhook outbox every {@code deliverEvery} (when a webhook is configured). A failed round is
 * logged and tried again at the next tick; nothing is lost meanwhile, as both the open alerts and
 * the outbox are in the store.
 *
 * <p>Thread-safe: start and close from any thread.
 */
public final class AlertMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertMonitor.class);

  private final CertificateAlerts alerts;
  private final Optional<WebhookDelivery> delivery;
  private final Duration evaluateEvery;
  private final Duration deliverEvery;
  private ScheduledExecutorService timer;

  public AlertMonitor(
      CertificateAlerts alerts,
      Optional<WebhookDelivery> delivery,
      Duration evaluateEvery,
      Duration deliverEvery) {
    this.alerts = Objects.requireNonNull(alerts, "alerts");
    this.delivery = Objects.requireNonNull(delivery, "delivery");
    this.evaluateEvery = positive(evaluateEvery, "evaluateEvery");
    this.deliverEvery = positive(deliverEvery, "deliverEvery");
  }

  /**
   * Starts both loops, the first evaluation at once.
   *
   * @throws IllegalStateException when already started
   */
  public synchronized void start() {
    if (timer != null) {
      throw new IllegalStateException("certificate alert monitor already started");
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "certificate-alerts");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        this::evaluate, 0, evaluateEvery.toMillis(), TimeUnit.MILLISECONDS);
    delivery.ifPresent(
        d ->
            timer.scheduleWithFixedDelay(
                () -> deliver(d), 0, deliverEvery.toMillis(), TimeUnit.MILLISECONDS));
  }

  private void evaluate() {
    try {
      CertificateAlerts.Evaluation e = alerts.evaluate();
      if (!e.raised().isEmpty() || !e.resolved().isEmpty()) {
        log.info(
            "certificate alerts: {} raised, {} resolved, {} open",
            e.raised().size(),
            e.resolved().size(),
            e.open());
      }
    } catch (RuntimeException e) {
      log.warn("certificate alert evaluation failed: {}", e.toString());
    }
  }

  private void deliver(WebhookDelivery d) {
    try {
      WebhookDelivery.Round round = d.deliverDue();
      if (round.retrying() + round.failed() > 0) {
        log.warn(
            "certificate alert webhook: {} delivered, {} to retry, {} given up",
            round.delivered(),
            round.retrying(),
            round.failed());
      }
    } catch (RuntimeException e) {
      log.warn("certificate alert delivery failed: {}", e.toString());
    }
  }

  /** Stops both loops, waiting up to 10 s for a round in progress. */
  @Override
  public synchronized void close() {
    if (timer == null) {
      return;
    }
    timer.shutdown();
    try {
      if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
        timer.shutdownNow();
      }
    } catch (InterruptedException e) {
      timer.shutdownNow();
      Thread.currentThread().interrupt();
    }
    timer = null;
  }

  private static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.compareTo(Duration.ofMillis(100)) < 0) {
      throw new IllegalArgumentException(name + " must be at least 100 ms: " + d);
    }
    return d;
  }
}

package io.auditgate.fleet;

import io.auditgate.fleet.internal.StateEvaluator;
import io.auditgate.store.StoreOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derives every device's and gateway's state from the store and records each change with its cause
 * (rules in docs/fleet.md): periodically on its own thread once {@link #start()}ed, or once per
 * {@link #evaluateOnce()} call.
 *
 * <p>Thread-safe. Several processes may run a monitor over one store: an evaluation takes a
 * transaction-scoped PostgreSQL advisory lock and is skipped when another holds it. {@link
 * #evaluateOnce()} blocks for one evaluation; a failed periodic evaluation is logged and retried at
 * the next tick.
 */
public final class FleetStateMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FleetStateMonitor.class);

  /** The default time between evaluations ({@code fleet.evaluation_interval}). */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

  /** The default restart window ({@code fleet.restart_window}). */
  public static final Duration DEFAULT_RESTART_WINDOW = Duration.ofMinutes(5);

  private final StoreOptions store;
  private final Clock clock;
  private final Settings settings;
  private final StateEvaluator evaluator;
  // one evaluation at a time within this process; the advisory lock covers other processes
  private final Object evaluating = new Object();
  private ScheduledExecutorService timer;

  public FleetStateMonitor(StoreOptions store, Clock clock, Settings settings) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.evaluator = new StateEvaluator(settings.heartbeatInterval(), settings.restartWindow());
  }

  /**
   * How the monitor runs.
   *
   * @param interval time between evaluations, 100 ms .. 1 h
   * @param heartbeatInterval the gateways' heartbeat interval: a gateway is down after three of
   *     them without a heartbeat
   * @param restartWindow how long a gateway counts as {@code restarted} after a start or recovery,
   *     and how far before a state change the gateway's events are its context
   */
  public record Settings(Duration interval, Duration heartbeatInterval, Duration restartWindow) {
    public Settings {
      Values.positive("interval", interval);
      if (interval.compareTo(Duration.ofMillis(100)) < 0
          || interval.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("interval must be 100 ms .. 1 h, got " + interval);
      }
      Values.positive("heartbeatInterval", heartbeatInterval);
      Values.positive("restartWindow", restartWindow);
    }

    /** Every 5 s; heartbeats every 30 s; restarted for 5 minutes. */
    public static Settings defaults() {
      return new Settings(DEFAULT_INTERVAL, Duration.ofSeconds(30), DEFAULT_RESTART_WINDOW);
    }
  }

  /** How this monitor runs. */
  public Settings settings() {
    return settings;
  }

  /**
   * What one evaluation did.
   *
   * @param evaluated false when another monitor held the lock and this one did nothing
   * @param deviceChanges device state changes recorded
   * @param gatewayChanges gateway state changes recorded
   */
  public record Evaluation(boolean evaluated, int deviceChanges, int gatewayChanges) {}

  /**
   * Evaluates once now: every gateway, then every device, in one transaction.
   *
   * @throws UnableToWriteFleetException when the store cannot be read or written
   */
  public Evaluation evaluateOnce() {
    synchronized (evaluating) {
      Instant now = clock.instant();
      Optional<StateEvaluator.Changes> changes = evaluator.evaluate(store, now);
      return changes
          .map(ch -> new Evaluation(true, ch.devices(), ch.gateways()))
          .orElse(new Evaluation(false, 0, 0));
    }
  }

  /**
   * Starts evaluating every {@code settings.interval()} on a daemon thread, the first time at once.
   *
   * @throws IllegalStateException when already started
   */
  public synchronized void start() {
    if (timer != null) {
      throw new IllegalStateException("fleet state monitor already started");
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "fleet-state-monitor");
              t.setDaemon(true);
              return t;
            });
    long every = settings.interval().toMillis();
    timer.scheduleWithFixedDelay(this::tick, 0, every, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      Evaluation e = evaluateOnce();
      if (e.deviceChanges() + e.gatewayChanges() > 0) {
        log.info(
            "fleet state: {} device and {} gateway state changes recorded",
            e.deviceChanges(),
            e.gatewayChanges());
      }
    } catch (RuntimeException e) {
      // the next tick tries again; states stay as last recorded meanwhile
      log.warn("fleet state evaluation failed: {}", e.toString());
    }
  }

  /** Stops the periodic evaluation, waiting up to 10 s for one in progress. */
  @Override
  public synchronized void close() {
    if (timer == null) {
      return;
    }
    timer.shutdownNow();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timer = null;
  }
}

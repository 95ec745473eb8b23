package io.auditgate.sim;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every board of one run shares: the clock that stamps readings, the scheduler that runs
 * readings and reconnects, and the count of publishes still waiting for an answer. Thread-safe.
 */
final class FleetContext {
  final Clock clock;
  final ScheduledExecutorService scheduler;
  final AtomicLong inFlight = new AtomicLong();
  private volatile boolean finishing;

  FleetContext(Clock clock, ScheduledExecutorService scheduler) {
    this.clock = clock;
    this.scheduler = scheduler;
  }

  /** From now on boards stop reconnecting: the run is over. */
  void finish() {
    finishing = true;
  }

  boolean isFinishing() {
    return finishing;
  }
}

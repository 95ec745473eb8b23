package io.auditgate.core.config;

import static io.auditgate.core.config.Check.between;
import static io.auditgate.core.config.Check.orDefault;

import java.time.Duration;

/**
 * Section {@code fleet}: the fleet state monitor that a node with a store runs (device and gateway
 * states, each change recorded with its cause; rules in docs/fleet.md).
 *
 * @param evaluationInterval time between two evaluations of every device and gateway; 5 s by
 *     default, 100 ms to 1 h. A device turns stale at most this late after its threshold
 * @param restartWindow how long a gateway counts as {@code restarted} after a start or recovery,
 *     and how far back before a state change the gateway's events are listed as its context (the
 *     window in which a stale device "coincides with" a restart); 5 min by default, 1 s to 7 d
 * @param readPoolSize connections to the store the read model (API, dashboard, fleet gauges) keeps
 *     at most, opened when needed and closed after a minute idle; 4 by default, 1 to 64. The web
 *     server's {@code worker_threads} bound how many requests read at once, so more than that is
 *     never used
 */
public record FleetConfig(
    Duration evaluationInterval, Duration restartWindow, Integer readPoolSize) {
  public FleetConfig {
    evaluationInterval =
        between(
            "evaluation_interval",
            orDefault(evaluationInterval, Duration.ofSeconds(5)),
            Duration.ofMillis(100),
            Duration.ofHours(1));
    restartWindow =
        between(
            "restart_window",
            orDefault(restartWindow, Duration.ofMinutes(5)),
            Duration.ofSeconds(1),
            Duration.ofDays(7));
    readPoolSize = orDefault(readPoolSize, 4);
    Check.that(
        readPoolSize >= 1 && readPoolSize <= 64,
        "read_pool_size",
        "must be between 1 and 64, got " + readPoolSize);
  }

  /** The monitor's timing, the read pool at its default. */
  public FleetConfig(Duration evaluationInterval, Duration restartWindow) {
    this(evaluationInterval, restartWindow, null);
  }

  public static FleetConfig defaults() {
    return new FleetConfig(null, null, null);
  }
}

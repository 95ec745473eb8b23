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
 */
public record FleetConfig(Duration evaluationInterval, Duration restartWindow) {
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
  }

  public static FleetConfig defaults() {
    return new FleetConfig(null, null);
  }
}

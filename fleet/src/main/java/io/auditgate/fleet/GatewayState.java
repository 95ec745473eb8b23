package io.auditgate.fleet;

import java.util.Locale;
import java.util.Optional;

/**
 * A gateway's state, derived from its gateway events (rules in docs/fleet.md). Wire names are the
 * lower-case constant names ({@code upstream_interrupted}).
 */
public enum GatewayState {
  /** A heartbeat within three heartbeat intervals, upstream delivering. */
  UP,
  /** No heartbeat for three heartbeat intervals (or never one), or it stopped. */
  DOWN,
  /** Started or recovered its log within the last evaluation window. */
  RESTARTED,
  /** Alive, but its last upstream event is an interruption: data waits in its log. */
  UPSTREAM_INTERRUPTED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<GatewayState> fromWireName(String name) {
    for (GatewayState s : values()) {
      if (s.wireName().equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}

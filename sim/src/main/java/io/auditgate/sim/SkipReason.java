package io.auditgate.sim;

import java.util.Locale;

/** Why a reading that was due was not published. */
public enum SkipReason {
  /** The board had no connection at the time (refused, lost, or in a reconnect storm). */
  DISCONNECTED,
  /** The board was stale on purpose ({@link SimulationPlan.Fault.Stale}). */
  STALE;

  /** The snake_case name used in JSON reports. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}

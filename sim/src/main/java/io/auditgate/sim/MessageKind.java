package io.auditgate.sim;

import java.util.Locale;

/** What a published message was meant to be; every message counts under exactly one kind. */
public enum MessageKind {
  /** A reading as a healthy board sends it. */
  NORMAL,
  /** A reading stamped by a clock that is off ({@link SimulationPlan.Fault.ClockSkew}). */
  CLOCK_SKEW,
  /** The second copy of a reading, same bytes and {@code seq} as the first. */
  DUPLICATE,
  /** A reading cut off in the middle: not valid JSON. */
  MALFORMED,
  /** A reading published to another board's topic. */
  WRONG_TOPIC;

  /** The snake_case name used in JSON reports. */
  /**
   * Whether the gateway stores an acknowledged message of this kind as the board's telemetry
   * (malformed ones become dead letters; wrong-topic ones are refused).
   */
  public boolean storedAsTelemetry() {
    return this == NORMAL || this == CLOCK_SKEW || this == DUPLICATE;
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}

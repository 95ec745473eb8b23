package io.auditgate.fleet;

import java.util.Locale;
import java.util.Optional;

/**
 * A device's connectivity and freshness, as the {@link FleetStateMonitor} derives it (rules in
 * docs/fleet.md). Wire names are the lower-case constant names ({@code never_seen}).
 */
public enum DeviceState {
  /** Telemetry within the profile's {@code stale_after_intervals × expected_interval}. */
  ACTIVE,
  /** Connected or of unknown connection, but no telemetry for that long. */
  STALE,
  /** The last disconnect is later than the last connect and the last telemetry. */
  OFFLINE,
  /** Registered, but never any telemetry or connect. */
  NEVER_SEEN;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<DeviceState> fromWireName(String name) {
    for (DeviceState s : values()) {
      if (s.wireName().equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}

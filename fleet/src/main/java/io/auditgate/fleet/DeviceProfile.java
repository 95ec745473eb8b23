package io.auditgate.fleet;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A kind of device and how often it reports: a device is stale after {@code staleAfterIntervals ×
 * expectedInterval} without telemetry.
 *
 * @param name {@code ^[a-z0-9][a-z0-9._-]{0,63}$}; {@code default} always exists
 * @param expectedInterval how often a device of this profile sends telemetry, ≥ 1 s
 * @param staleAfterIntervals how many missed intervals make it stale, 1..1000
 */
public record DeviceProfile(
    String name, Duration expectedInterval, int staleAfterIntervals, Optional<String> description) {
  /** The profile every device has unless registered otherwise. */
  public static final String DEFAULT = "default";

  public DeviceProfile {
    Values.profile("name", name);
    Values.positive("expectedInterval", expectedInterval);
    if (expectedInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "expectedInterval must be at least 1 s, got " + expectedInterval);
    }
    if (staleAfterIntervals < 1 || staleAfterIntervals > 1000) {
      throw new IllegalArgumentException(
          "staleAfterIntervals must be 1..1000, got " + staleAfterIntervals);
    }
    Values.text("description", Objects.requireNonNull(description, "description"));
  }

  /** How long without telemetry makes a device of this profile stale. */
  public Duration staleAfter() {
    return expectedInterval.multipliedBy(staleAfterIntervals);
  }
}

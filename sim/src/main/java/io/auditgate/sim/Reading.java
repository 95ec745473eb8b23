package io.auditgate.sim;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One sample of a board's sensors, as the device would publish it.
 *
 * @param deviceId the board's device id
 * @param seq the device's sequence number, 1 for its first reading
 * @param timestamp the device's clock when it sampled
 * @param metrics sensor values by snake_case key with the unit in the name, in a fixed order
 * @param tags descriptive strings (board model, firmware version)
 */
public record Reading(
    String deviceId,
    long seq,
    Instant timestamp,
    Map<String, Double> metrics,
    Map<String, String> tags) {
  public Reading {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(timestamp, "timestamp");
    if (seq < 1) {
      throw new IllegalArgumentException("seq must be >= 1, got " + seq);
    }
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
  }

  /** The same reading stamped with another time, as a device with a wrong clock would send it. */
  public Reading at(Instant otherTime) {
    return new Reading(deviceId, seq, otherTime, metrics, tags);
  }
}

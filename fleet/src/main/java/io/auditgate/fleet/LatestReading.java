package io.auditgate.fleet;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/** The latest value of one metric of one device. */
public record LatestReading(
    String deviceId,
    String metric,
    Instant time,
    double value,
    OptionalLong seq,
    String gatewayId) {
  public LatestReading {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(seq, "seq");
    Objects.requireNonNull(gatewayId, "gatewayId");
  }
}

package io.auditgate.fleet;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** One line of the device list. */
public record DeviceView(
    String id,
    Optional<String> name,
    String profile,
    Optional<String> location,
    Optional<String> firmwareVersion,
    Map<String, String> tags,
    DeviceState state,
    Optional<Instant> stateSince,
    Optional<Instant> lastTelemetryAt,
    Optional<String> lastGatewayId,
    Optional<Instant> lastConnectAt,
    Optional<Instant> lastDisconnectAt) {
  public DeviceView {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(firmwareVersion, "firmwareVersion");
    tags = Map.copyOf(tags);
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(stateSince, "stateSince");
    Objects.requireNonNull(lastTelemetryAt, "lastTelemetryAt");
    Objects.requireNonNull(lastGatewayId, "lastGatewayId");
    Objects.requireNonNull(lastConnectAt, "lastConnectAt");
    Objects.requireNonNull(lastDisconnectAt, "lastDisconnectAt");
  }
}

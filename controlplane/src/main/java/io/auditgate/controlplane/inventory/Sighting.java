package io.auditgate.controlplane.inventory;

import io.auditgate.core.telemetry.Telemetry;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One observation of a certificate.
 *
 * @param source where it was seen
 * @param location which listener, {@code host:port}, file path or bundle name (1..1024 chars)
 * @param deviceId the device that presented it, when a device did
 * @param at when it was seen
 * @param details what the source adds (an endpoint's protocol and cipher, a file's format)
 */
public record Sighting(
    SourceKind source,
    String location,
    Optional<String> deviceId,
    Instant at,
    Map<String, String> details) {
  public Sighting {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(location, "location");
    if (location.isEmpty() || location.length() > 1024) {
      throw new IllegalArgumentException(
          "location must be 1..1024 characters, got " + location.length());
    }
    Objects.requireNonNull(deviceId, "deviceId");
    deviceId.ifPresent(
        id -> {
          if (!Telemetry.isDeviceId(id)) {
            throw new IllegalArgumentException(
                "deviceId must match " + Telemetry.DEVICE_ID + ", got '" + id + "'");
          }
        });
    Objects.requireNonNull(at, "at");
    details = Map.copyOf(Objects.requireNonNull(details, "details"));
  }

  /** A sighting without a device or details. */
  public static Sighting of(SourceKind source, String location, Instant at) {
    return new Sighting(source, location, Optional.empty(), at, Map.of());
  }
}

package io.auditgate.controlplane.inventory;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Where a certificate was seen, first and last time, and how often. */
public record SightingView(
    SourceKind source,
    String location,
    Optional<String> deviceId,
    Instant firstSeenAt,
    Instant lastSeenAt,
    long count,
    Map<String, String> details) {
  public SightingView {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(firstSeenAt, "firstSeenAt");
    Objects.requireNonNull(lastSeenAt, "lastSeenAt");
    details = Map.copyOf(Objects.requireNonNull(details, "details"));
  }
}

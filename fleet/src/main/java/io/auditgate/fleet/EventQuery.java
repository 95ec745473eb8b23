package io.auditgate.fleet;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which fleet events to list, newest first. Filters combine with AND.
 *
 * @param deviceId events about this device (its state changes and connectivity)
 * @param gatewayId events about this gateway or logged by it (its state changes, its events, the
 *     connectivity of devices on it)
 * @param kinds empty for every kind
 * @param from inclusive
 * @param to exclusive
 */
public record EventQuery(
    Optional<String> deviceId,
    Optional<String> gatewayId,
    Set<FleetEvent.Kind> kinds,
    Optional<Instant> from,
    Optional<Instant> to,
    int limit,
    int offset) {
  public EventQuery {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(gatewayId, "gatewayId");
    kinds = Set.copyOf(kinds);
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Values.limit(limit);
    Values.offset(offset);
  }

  /** The latest 100 events of every kind. */
  public static EventQuery latest() {
    return new EventQuery(
        Optional.empty(), Optional.empty(), Set.of(), Optional.empty(), Optional.empty(), 100, 0);
  }

  public EventQuery forDevice(String id) {
    return new EventQuery(Optional.of(id), gatewayId, kinds, from, to, limit, offset);
  }

  public EventQuery forGateway(String id) {
    return new EventQuery(deviceId, Optional.of(id), kinds, from, to, limit, offset);
  }

  public EventQuery ofKinds(Set<FleetEvent.Kind> value) {
    return new EventQuery(deviceId, gatewayId, value, from, to, limit, offset);
  }

  public EventQuery between(Instant fromInclusive, Instant toExclusive) {
    return new EventQuery(
        deviceId,
        gatewayId,
        kinds,
        Optional.of(fromInclusive),
        Optional.of(toExclusive),
        limit,
        offset);
  }

  public EventQuery page(int newLimit, int newOffset) {
    return new EventQuery(deviceId, gatewayId, kinds, from, to, newLimit, newOffset);
  }
}

package io.auditgate.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of the gateway list. Backlog figures are from its last heartbeat.
 *
 * @param backlogRecords records in its log not yet delivered upstream (the largest of its sinks)
 * @param backlogBytes bytes not yet delivered, when the heartbeat reported them, else 0
 * @param oldestUnsentAge age of its oldest undelivered record at the last heartbeat
 * @param devices devices whose last message came through it
 */
public record GatewayView(
    String id,
    Optional<String> name,
    Optional<String> location,
    Map<String, String> tags,
    GatewayState state,
    Optional<Instant> stateSince,
    Optional<Instant> lastHeartbeatAt,
    long backlogRecords,
    long backlogBytes,
    Optional<Duration> oldestUnsentAge,
    long devices) {
  public GatewayView {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(location, "location");
    tags = Map.copyOf(tags);
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(stateSince, "stateSince");
    Objects.requireNonNull(lastHeartbeatAt, "lastHeartbeatAt");
    Values.notNegative("backlogRecords", backlogRecords);
    Values.notNegative("backlogBytes", backlogBytes);
    Objects.requireNonNull(oldestUnsentAge, "oldestUnsentAge");
    Values.notNegative("devices", devices);
  }
}

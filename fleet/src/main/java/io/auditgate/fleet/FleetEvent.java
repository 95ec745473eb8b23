package io.auditgate.fleet;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing that happened in the fleet: a recorded state change, a gateway event (heartbeats
 * excepted) or a device's connect/disconnect.
 *
 * @param id unique within its kind: {@code state_change:<id>}, {@code gateway_event:<gateway>:<wal
 *     offset>}, {@code connectivity:<gateway>:<wal offset>}
 * @param entityId the device or gateway it is about
 * @param gatewayId the gateway involved: the gateway itself, or the one that logged the connect
 * @param type for a state change the new state ({@code stale}, {@code up}, ...); for a gateway
 *     event its kind ({@code started}, {@code recovered}, {@code upstream_interrupted}, ...); for
 *     connectivity {@code connected} or {@code disconnected}
 * @param fromState the previous state, for a state change
 * @param cause the human cause of a state change, or a disconnect's close reason
 * @param detailsJson a JSON object: a state change's correlation details, a gateway event's
 *     attributes, a connect's details (never null; {@code {}} when there are none)
 */
public record FleetEvent(
    String id,
    Instant at,
    Kind kind,
    EntityKind entityKind,
    String entityId,
    Optional<String> gatewayId,
    String type,
    Optional<String> fromState,
    Optional<String> cause,
    String detailsJson) {
  public FleetEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(entityKind, "entityKind");
    Objects.requireNonNull(entityId, "entityId");
    Objects.requireNonNull(gatewayId, "gatewayId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(fromState, "fromState");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(detailsJson, "detailsJson");
  }

  /** Where the event comes from. Wire names are the lower-case constant names. */
  public enum Kind {
    STATE_CHANGE,
    GATEWAY_EVENT,
    CONNECTIVITY;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What the event is about. Wire names are the lower-case constant names. */
  public enum EntityKind {
    DEVICE,
    GATEWAY;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}

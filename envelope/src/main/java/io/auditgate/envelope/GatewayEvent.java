package io.auditgate.envelope;

import java.time.Instant;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Something the gateway itself did or suffered: the evidence of its behaviour that the fleet view
 * and the audit read. The gateway appends these to its write-ahead log as {@code
 * RecordTypes.GATEWAY_EVENT} records, so they travel the same durable path as telemetry and reach
 * Kafka topic {@code gateway-events.v1} and the store's gateway-event table.
 *
 * @param attributes figures and details of the event (for example {@code bytes_truncated}), sorted
 */
public record GatewayEvent(
    String gatewayId, Kind kind, Instant at, Map<String, String> attributes) {
  public GatewayEvent {
    Objects.requireNonNull(gatewayId, "gatewayId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(at, "at");
    attributes = Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
  }

  /** What happened. Wire names are the lower-case constant names. */
  public enum Kind {
    /** The gateway opened its log and started its listeners. */
    STARTED,
    /** The gateway stopped cleanly. */
    STOPPED,
    /** The log was recovered on start; attributes say how many bytes were cut. */
    RECOVERED,
    /** A sink could not deliver; attributes name the sink and the reason. */
    UPSTREAM_INTERRUPTED,
    /** A sink delivers again after an interruption; attributes give the outage's length. */
    UPSTREAM_RESTORED,
    /** Periodic liveness with backlog figures. */
    HEARTBEAT;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Kind> fromWireName(String name) {
      for (Kind kind : values()) {
        if (kind.wireName().equals(name)) {
          return Optional.of(kind);
        }
      }
      return Optional.empty();
    }
  }
}

package io.auditgate.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the gateway page shows.
 *
 * @param stateCause the human cause of its last state change
 * @param walRecords records held in its log at the last heartbeat
 * @param sinks per upstream sink, from the last heartbeat
 * @param throughputWindow the window {@code samplesInWindow} and {@code samplesPerSecond} cover
 * @param recentEvents its latest gateway events (heartbeats excepted) and state changes, newest
 *     first (≤ 50)
 */
public record GatewayDetail(
    GatewayView gateway,
    Optional<String> stateCause,
    Optional<Instant> firstSeenAt,
    Optional<Instant> lastSeenAt,
    long walRecords,
    List<SinkStatus> sinks,
    Duration throughputWindow,
    long samplesInWindow,
    double samplesPerSecond,
    List<FleetEvent> recentEvents) {
  public GatewayDetail {
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(stateCause, "stateCause");
    Objects.requireNonNull(firstSeenAt, "firstSeenAt");
    Objects.requireNonNull(lastSeenAt, "lastSeenAt");
    Values.notNegative("walRecords", walRecords);
    sinks = List.copyOf(sinks);
    Values.positive("throughputWindow", throughputWindow);
    Values.notNegative("samplesInWindow", samplesInWindow);
    recentEvents = List.copyOf(recentEvents);
  }

  /**
   * One upstream sink of the gateway as its last heartbeat reported it.
   *
   * @param name {@code kafka} or {@code store}
   * @param interrupted whether the sink could not deliver at that heartbeat
   */
  public record SinkStatus(
      String name, long backlogRecords, Duration oldestUnsentAge, boolean interrupted) {
    public SinkStatus {
      Objects.requireNonNull(name, "name");
      Values.notNegative("backlogRecords", backlogRecords);
      Objects.requireNonNull(oldestUnsentAge, "oldestUnsentAge");
    }
  }
}

package io.auditgate.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the device page shows.
 *
 * @param firstSeenAt the first message the store holds from it; empty for a device registered but
 *     never seen
 * @param stateCause the human cause of the last state change, as recorded
 * @param samplesInWindow telemetry samples (metric values) with a time in {@code window} (ending
 *     now), counted from the minute rollups
 * @param seqGaps seq numbers missing between the lowest and the highest seq received in the window
 * @param duplicatesDiscarded messages from it the store discarded as already held (all time)
 * @param clockSkew the gateway's receive time minus the device's own time, over its latest messages
 *     that carried a device time (positive: the device is behind)
 * @param connection the details of its last connect as the listener logged them ({@code client_id},
 *     {@code protocol}, {@code tls}, {@code auth}, and {@code certificate_sha256}, {@code
 *     certificate_subject}, {@code certificate_not_after} when it presented a certificate); empty
 *     when it never connected over MQTT
 */
public record DeviceDetail(
    DeviceRegistration registration,
    RegisteredVia registeredVia,
    Optional<Instant> firstSeenAt,
    DeviceState state,
    Optional<Instant> stateSince,
    Optional<String> stateCause,
    Optional<Instant> lastConnectAt,
    Optional<Disconnect> lastDisconnect,
    Optional<Instant> lastTelemetryAt,
    Optional<String> lastGatewayId,
    Optional<Long> lastSeq,
    Duration window,
    long samplesInWindow,
    long seqGaps,
    long duplicatesDiscarded,
    Optional<Duration> clockSkew,
    DeviceProfile profile,
    List<LatestReading> latestReadings,
    Map<String, String> connection) {
  public DeviceDetail {
    Objects.requireNonNull(registration, "registration");
    Objects.requireNonNull(registeredVia, "registeredVia");
    Objects.requireNonNull(firstSeenAt, "firstSeenAt");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(stateSince, "stateSince");
    Objects.requireNonNull(stateCause, "stateCause");
    Objects.requireNonNull(lastConnectAt, "lastConnectAt");
    Objects.requireNonNull(lastDisconnect, "lastDisconnect");
    Objects.requireNonNull(lastTelemetryAt, "lastTelemetryAt");
    Objects.requireNonNull(lastGatewayId, "lastGatewayId");
    Objects.requireNonNull(lastSeq, "lastSeq");
    Values.positive("window", window);
    Values.notNegative("samplesInWindow", samplesInWindow);
    Values.notNegative("seqGaps", seqGaps);
    Values.notNegative("duplicatesDiscarded", duplicatesDiscarded);
    Objects.requireNonNull(clockSkew, "clockSkew");
    Objects.requireNonNull(profile, "profile");
    latestReadings = List.copyOf(latestReadings);
    connection = Map.copyOf(connection);
  }

  /**
   * The device's last disconnect.
   *
   * @param reason the listener's close reason ({@code client_disconnect}, {@code connection_lost},
   *     {@code server_shutting_down}, ...), when it logged one
   */
  public record Disconnect(Instant at, Optional<String> reason, String gatewayId) {
    public Disconnect {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(gatewayId, "gatewayId");
    }
  }
}

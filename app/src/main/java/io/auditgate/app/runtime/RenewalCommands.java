package io.auditgate.app.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.controlplane.enrolment.RenewalRequests;
import io.auditgate.ingest.mqtt.CommandOutcome;
import io.auditgate.ingest.mqtt.CommandPublisher;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Tells a device connected to this gateway's MQTT listener to renew its certificate: a QoS 1
 * message on {@code devices/<id>/commands/reenroll} with the JSON payload {@code {"command":
 * "reenroll", "reason": "...", "requested_at": "<RFC 3339>"}}. The device answers by calling EST
 * {@code simplereenroll} with its current certificate (the simulator's {@code RenewingDevice}).
 * Here in the app because the listener (ingest) and enrolment (control plane) must not know each
 * other.
 *
 * <p>Thread-safety: thread-safe; never blocks.
 */
public final class RenewalCommands {
  /** The command, as the topic suffix and the payload's {@code command}. */
  public static final String COMMAND = "reenroll";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CommandPublisher commands;
  private final RenewalRequests requests;
  private final Clock clock;

  /**
   * @param requests where the request is noted, so that EST records the answering re-enrolment as
   *     {@code mqtt_renewal}
   */
  public RenewalCommands(CommandPublisher commands, RenewalRequests requests, Clock clock) {
    this.commands = Objects.requireNonNull(commands, "commands");
    this.requests = Objects.requireNonNull(requests, "requests");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Asks {@code deviceId} to re-enrol.
   *
   * @param reason why, for the device's log ({@code expiring}, {@code replace}, {@code operator})
   * @return how the command ended; {@link CommandOutcome.NotConnected} and {@link
   *     CommandOutcome.NotSubscribed} mean the caller must ask again later
   */
  public CompletionStage<CommandOutcome> requestReenrolment(String deviceId, String reason) {
    Map<String, String> payload = new LinkedHashMap<>();
    payload.put("command", COMMAND);
    payload.put("reason", Objects.requireNonNull(reason, "reason"));
    payload.put("requested_at", clock.instant().toString());
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings is always JSON", e);
    }
    // Noted before sending: a quick device may re-enrol before the PUBACK is seen here.
    requests.requested(deviceId);
    return commands
        .publish(deviceId, COMMAND, body, CommandPublisher.Qos.AT_LEAST_ONCE)
        .thenApply(
            outcome -> {
              if (outcome instanceof CommandOutcome.NotConnected
                  || outcome instanceof CommandOutcome.NotSubscribed
                  || outcome instanceof CommandOutcome.Refused) {
                requests.withdrawn(deviceId);
              }
              return outcome;
            });
  }
}

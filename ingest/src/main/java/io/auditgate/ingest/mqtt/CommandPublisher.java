package io.auditgate.ingest.mqtt;

import java.util.concurrent.CompletionStage;

/**
 * Sends commands to devices connected to this gateway's MQTT listener, on {@code
 * devices/{deviceId}/commands/{command}} (the only topics a device may subscribe to).
 *
 * <p>Thread-safety: safe to call from any thread; never blocks. The returned stage completes on a
 * listener event loop (keep callbacks short) and never completes exceptionally for an expected
 * outcome: those are {@link CommandOutcome}s.
 *
 * <p>Guarantee: {@link CommandOutcome.Acknowledged} means the device answered PUBACK with a success
 * code. Commands are not queued for devices that are not connected, and an unacknowledged QoS 1
 * command is not resent when the device reconnects: {@link CommandOutcome.Lost} tells the caller,
 * who decides.
 */
public interface CommandPublisher {

  /** The delivery a command asks for; a device's subscription may lower it. */
  enum Qos {
    AT_MOST_ONCE,
    AT_LEAST_ONCE
  }

  /**
   * Sends {@code payload} to every connection of {@code deviceId} that subscribed to a matching
   * filter, at the lower of {@code qos} and the QoS the subscription was granted.
   *
   * @param command one or more topic levels under {@code commands/}, without wildcards
   * @throws IllegalArgumentException if {@code command} is not a valid topic suffix
   */
  CompletionStage<CommandOutcome> publish(String deviceId, String command, byte[] payload, Qos qos);
}

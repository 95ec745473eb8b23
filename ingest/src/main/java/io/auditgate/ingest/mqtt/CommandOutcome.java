package io.auditgate.ingest.mqtt;

import java.util.Objects;

/** How a command sent through {@link CommandPublisher} ended. */
public sealed interface CommandOutcome {

  /** Written at QoS 0 to this many of the device's connections. */
  record Sent(int connections) implements CommandOutcome {}

  /** Acknowledged (QoS 1 PUBACK, success code) on this many of the device's connections. */
  record Acknowledged(int connections) implements CommandOutcome {}

  /** The device has no open connection to this gateway. */
  record NotConnected() implements CommandOutcome {}

  /** The device is connected but subscribed to no filter matching the command. */
  record NotSubscribed() implements CommandOutcome {}

  /**
   * Not delivered: the device answered with an MQTT 5 error code ({@code puback_0x..}), it cannot
   * take the command now ({@code in_flight_limit}, {@code backlogged}) or it is too large for the
   * device's maximum packet size ({@code too_large}).
   */
  record Refused(String reason) implements CommandOutcome {
    public Refused {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The connection ended before the device acknowledged the command. */
  record Lost() implements CommandOutcome {}
}

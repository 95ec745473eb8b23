package io.auditgate.controlplane.replacement;

import java.util.Objects;

/**
 * Asks a device to get itself a new certificate (in the app: an MQTT {@code reenroll} command the
 * device answers over EST). An interface here because the control plane does not know the
 * listeners.
 *
 * <p>Thread-safety: implementations are thread-safe; they may block for a bounded time (waiting for
 * the device's acknowledgement).
 */
@FunctionalInterface
public interface Reenrolment {
  /** Nobody to ask: every request is {@link Outcome.NotDelivered}. */
  Reenrolment NONE = (deviceId, reason) -> new Outcome.NotDelivered("no_command_channel");

  /**
   * Asks {@code deviceId} to re-enrol.
   *
   * @param reason why, for the device's log ({@code replace}, {@code renewal_due})
   */
  Outcome request(String deviceId, String reason);

  /** Whether the request reached the device. */
  sealed interface Outcome {
    /** The device acknowledged the request. */
    record Delivered() implements Outcome {}

    /** It did not (not connected, not subscribed, refused, timed out): {@code reason} says why. */
    record NotDelivered(String reason) implements Outcome {
      public NotDelivered {
        Objects.requireNonNull(reason, "reason");
      }
    }

    /** The label stored in events: {@code delivered} or the reason. */
    default String label() {
      return this instanceof NotDelivered n ? n.reason() : "delivered";
    }
  }
}

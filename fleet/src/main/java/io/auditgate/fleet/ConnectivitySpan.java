package io.auditgate.fleet;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stretch of a device's connectivity timeline, cut to the asked range.
 *
 * @param to empty while the span is still open
 * @param gatewayId the gateway that logged the event opening the span
 * @param reason for a disconnected span, the close reason that opened it
 */
public record ConnectivitySpan(
    Instant from, Optional<Instant> to, Status status, String gatewayId, Optional<String> reason) {
  public ConnectivitySpan {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(gatewayId, "gatewayId");
    Objects.requireNonNull(reason, "reason");
    to.ifPresent(
        t -> {
          if (t.isBefore(from)) {
            throw new IllegalArgumentException("to must not be before from");
          }
        });
  }

  /** Whether the device was connected during the span. */
  public enum Status {
    CONNECTED,
    DISCONNECTED
  }
}

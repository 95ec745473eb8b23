package io.auditgate.controlplane.enrolment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renewals the gateway asked devices for over MQTT and that are not yet answered, so that the
 * re-enrolment answering one is recorded as {@link IssuanceMethod#MQTT_RENEWAL} rather than {@link
 * IssuanceMethod#REENROLL}. A request is pending for {@code window} after it was made.
 *
 * <p>In memory: it works where the gateway that sends the command and the web server that serves
 * EST run in one process (a node); across processes (or a restart) the re-enrolment is still
 * issued, only recorded as {@code reenroll}.
 *
 * <p>Thread-safe; never blocks.
 */
public final class RenewalRequests {
  public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);

  private final Map<String, Instant> requested = new ConcurrentHashMap<>();
  private final Duration window;
  private final Clock clock;

  public RenewalRequests(Duration window, Clock clock) {
    this.window = Objects.requireNonNull(window, "window");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, got " + window);
    }
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Notes that {@code deviceId} was just asked to re-enrol. */
  public void requested(String deviceId) {
    requested.put(Objects.requireNonNull(deviceId, "deviceId"), clock.instant());
  }

  /** Forgets a request that did not reach the device. */
  public void withdrawn(String deviceId) {
    requested.remove(deviceId);
  }

  /** Whether a request for {@code deviceId} is pending (made within the window). */
  public boolean pending(String deviceId) {
    Instant at = requested.get(deviceId);
    if (at == null) {
      return false;
    }
    if (at.plus(window).isBefore(clock.instant())) {
      requested.remove(deviceId, at);
      return false;
    }
    return true;
  }

  /** The device re-enrolled: its request is answered. */
  void fulfilled(String deviceId) {
    requested.remove(deviceId);
  }
}

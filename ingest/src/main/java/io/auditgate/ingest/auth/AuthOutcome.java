package io.auditgate.ingest.auth;

import io.auditgate.core.ingest.DeviceIdentity;
import java.util.Objects;
import java.util.Optional;

/** The result of checking one set of credentials: who it is, or why not. */
public sealed interface AuthOutcome {

  /** The identity, if accepted. */
  Optional<DeviceIdentity> identity();

  record Accepted(DeviceIdentity device) implements AuthOutcome {
    public Accepted {
      Objects.requireNonNull(device, "device");
    }

    @Override
    public Optional<DeviceIdentity> identity() {
      return Optional.of(device);
    }
  }

  /**
   * @param reason why
   * @param deviceId the device the credentials claimed, when they named a valid one
   */
  record Refused(RefusalReason reason, Optional<String> deviceId) implements AuthOutcome {
    public Refused {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(deviceId, "deviceId");
    }

    static Refused because(RefusalReason reason) {
      return new Refused(reason, Optional.empty());
    }

    static Refused because(RefusalReason reason, String deviceId) {
      return new Refused(reason, Optional.of(deviceId));
    }

    @Override
    public Optional<DeviceIdentity> identity() {
      return Optional.empty();
    }
  }
}

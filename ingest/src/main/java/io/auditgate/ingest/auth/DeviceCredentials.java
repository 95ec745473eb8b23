package io.auditgate.ingest.auth;

import io.auditgate.core.telemetry.Telemetry;
import java.util.Objects;
import java.util.Optional;

/**
 * The stored secrets of one device.
 *
 * @param deviceId the device, which is also its MQTT username
 * @param password hash of its MQTT password, if it has one
 * @param token hash of its whole bearer token ({@code <deviceId>.<secret>}), if it has one
 */
public record DeviceCredentials(
    String deviceId, Optional<SecretHash> password, Optional<SecretHash> token) {
  public DeviceCredentials {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(token, "token");
    if (!Telemetry.isDeviceId(deviceId)) {
      throw new IllegalArgumentException(
          "device id must match " + Telemetry.DEVICE_ID + ", got '" + deviceId + "'");
    }
    if (password.isEmpty() && token.isEmpty()) {
      throw new IllegalArgumentException("device " + deviceId + " needs a password or a token");
    }
  }

  public DeviceCredentials withPassword(SecretHash hash) {
    return new DeviceCredentials(deviceId, Optional.of(hash), token);
  }

  public DeviceCredentials withToken(SecretHash hash) {
    return new DeviceCredentials(deviceId, password, Optional.of(hash));
  }

  /** The stored hash of one kind of secret. */
  Optional<SecretHash> secret(SecretKind kind) {
    return kind == SecretKind.PASSWORD ? password : token;
  }

  /** The two kinds of shared secret a device may hold. */
  public enum SecretKind {
    PASSWORD,
    TOKEN
  }
}

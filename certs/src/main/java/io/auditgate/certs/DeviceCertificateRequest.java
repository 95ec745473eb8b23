package io.auditgate.certs;

import io.auditgate.core.telemetry.Telemetry;
import java.util.Objects;

/**
 * What a device (client) certificate names: subject CN = the device id, SAN URI {@code
 * urn:auditgate:device:<id>}, EKU clientAuth.
 *
 * @param deviceId {@code ^[A-Za-z0-9_-]{1,64}$}
 * @param validity the validity window
 * @param keyAlgorithm the type of the new key
 */
public record DeviceCertificateRequest(
    String deviceId, Validity validity, KeyAlgorithm keyAlgorithm) {
  public DeviceCertificateRequest {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(validity, "validity");
    Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
    if (!Telemetry.isDeviceId(deviceId)) {
      throw new IllegalArgumentException(
          "device id must match " + Telemetry.DEVICE_ID + ", got '" + deviceId + "'");
    }
  }

  /** A request with an ECDSA P-256 key. */
  public static DeviceCertificateRequest of(String deviceId, Validity validity) {
    return new DeviceCertificateRequest(deviceId, validity, KeyAlgorithm.EC_P256);
  }
}

package io.auditgate.core.ingest;

import io.auditgate.core.telemetry.Telemetry;
import java.util.Optional;

/**
 * The SAN URI that names a device in its certificate, {@code urn:auditgate:device:<id>}: the CA
 * writes it, the listeners read it. A URI rather than the subject CN alone because a SAN is
 * unambiguous (one typed name) while CNs are free text with legacy encodings.
 */
public final class DeviceCertificateUri {
  public static final String PREFIX = "urn:auditgate:device:";

  private DeviceCertificateUri() {}

  /** The URI for a device id; the id must match {@link Telemetry#DEVICE_ID}. */
  public static String of(String deviceId) {
    if (!Telemetry.isDeviceId(deviceId)) {
      throw new IllegalArgumentException(
          "device id must match " + Telemetry.DEVICE_ID + ", got '" + deviceId + "'");
    }
    return PREFIX + deviceId;
  }

  /** Whether a URI is in the device namespace (whatever follows the prefix). */
  public static boolean isDeviceUri(String uri) {
    return uri.startsWith(PREFIX);
  }

  /** The device id a URI names, if it is a device URI with a valid id. */
  public static Optional<String> deviceId(String uri) {
    if (!isDeviceUri(uri)) {
      return Optional.empty();
    }
    String id = uri.substring(PREFIX.length());
    return Telemetry.isDeviceId(id) ? Optional.of(id) : Optional.empty();
  }
}

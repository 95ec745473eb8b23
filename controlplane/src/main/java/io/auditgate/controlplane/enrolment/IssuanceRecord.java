package io.auditgate.controlplane.enrolment;

import io.auditgate.core.telemetry.Telemetry;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One certificate the CA issued to a device, as recorded in {@code certificate_issuances}.
 *
 * @param id the row id
 * @param deviceId the device the certificate names
 * @param serialHex the serial number, lower-case hex without leading zeros
 * @param sha256 lower-case hex SHA-256 of the DER, as listeners and the fleet registry write it
 * @param method how it was issued
 * @param issuedAt when the CA signed it (the CA's clock)
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param previousSha256 on re-enrolment, the certificate the device authenticated with
 * @param der the certificate's DER encoding (a copy is kept; the array is not shared)
 */
public record IssuanceRecord(
    long id,
    String deviceId,
    String serialHex,
    String sha256,
    IssuanceMethod method,
    Instant issuedAt,
    Instant notBefore,
    Instant notAfter,
    Optional<String> previousSha256,
    byte[] der) {
  private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");
  private static final Pattern SERIAL = Pattern.compile("^[0-9a-f]{1,40}$");

  public IssuanceRecord {
    if (!Telemetry.isDeviceId(deviceId)) {
      throw new IllegalArgumentException(
          "deviceId must match " + Telemetry.DEVICE_ID + ", got '" + deviceId + "'");
    }
    check("serialHex", serialHex, SERIAL);
    check("sha256", sha256, SHA256);
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(previousSha256, "previousSha256");
    previousSha256.ifPresent(p -> check("previousSha256", p, SHA256));
    der = Objects.requireNonNull(der, "der").clone();
  }

  /** A copy of the DER encoding. */
  @Override
  public byte[] der() {
    return der.clone();
  }

  private static void check(String name, String value, Pattern pattern) {
    Objects.requireNonNull(value, name);
    if (!pattern.matcher(value).matches()) {
      throw new IllegalArgumentException(name + " must match " + pattern + ", got '" + value + "'");
    }
  }
}

package io.auditgate.certs;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * One revoked certificate of an issuing CA, as a CRL entry or an OCSP "revoked" answer shows it.
 *
 * @param serial the certificate's serial number (positive, at most 20 octets per RFC 5280)
 * @param revokedAt when it was revoked
 * @param reason why
 */
public record RevokedSerial(BigInteger serial, Instant revokedAt, RevocationReason reason) {
  public RevokedSerial {
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(revokedAt, "revokedAt");
    Objects.requireNonNull(reason, "reason");
    if (serial.signum() <= 0 || serial.bitLength() > 159) {
      throw new IllegalArgumentException(
          "serial must be positive and at most 20 octets, got " + serial.toString(16));
    }
  }
}

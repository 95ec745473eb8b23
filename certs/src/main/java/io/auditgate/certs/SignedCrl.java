package io.auditgate.certs;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * A signed X.509 v2 CRL.
 *
 * @param der its DER encoding, as served with {@code application/pkix-crl}
 * @param number its cRLNumber extension
 * @param thisUpdate when it was issued
 * @param nextUpdate when the next one is due at the latest; relying parties reject it after that
 * @param entries how many revoked serials it lists
 */
public record SignedCrl(
    byte[] der, BigInteger number, Instant thisUpdate, Instant nextUpdate, int entries) {
  public SignedCrl {
    Objects.requireNonNull(der, "der");
    Objects.requireNonNull(number, "number");
    Objects.requireNonNull(thisUpdate, "thisUpdate");
    Objects.requireNonNull(nextUpdate, "nextUpdate");
    if (der.length == 0) {
      throw new IllegalArgumentException("der must not be empty");
    }
    if (number.signum() < 0) {
      throw new IllegalArgumentException("number must be >= 0, got " + number);
    }
    if (!nextUpdate.isAfter(thisUpdate)) {
      throw new IllegalArgumentException(
          "nextUpdate must be after thisUpdate, got " + thisUpdate + " and " + nextUpdate);
    }
    if (entries < 0) {
      throw new IllegalArgumentException("entries must be >= 0, got " + entries);
    }
  }
}

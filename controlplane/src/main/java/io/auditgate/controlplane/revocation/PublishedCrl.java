package io.auditgate.controlplane.revocation;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * The CRL currently published for the issuing CA.
 *
 * @param name the file name it is served under, without {@code .crl} ({@code /crl/<name>.crl})
 * @param der the DER bytes ({@code application/pkix-crl})
 * @param number its cRLNumber; every regeneration increments it
 * @param thisUpdate when it was signed
 * @param nextUpdate when relying parties stop accepting it
 * @param entries how many revoked certificates it lists
 */
public record PublishedCrl(
    String name,
    byte[] der,
    BigInteger number,
    Instant thisUpdate,
    Instant nextUpdate,
    int entries) {
  public PublishedCrl {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(der, "der");
    Objects.requireNonNull(number, "number");
    Objects.requireNonNull(thisUpdate, "thisUpdate");
    Objects.requireNonNull(nextUpdate, "nextUpdate");
  }
}

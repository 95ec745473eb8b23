package io.auditgate.controlplane.revocation;

import java.math.BigInteger;
import java.util.Optional;

/**
 * Read access to what has been revoked, for the inventory's status derivation and re-enrolment's
 * refusal of revoked certificates. Small on purpose: adapt it to a slice's own interface with a
 * method reference ({@code revocations::isRevoked}).
 *
 * <p>Thread-safety: implementations are thread-safe. Calls block on one short database query;
 * throws {@link UnableToUseRevocationsException} when the database cannot be read.
 */
public interface RevocationView {

  /**
   * The revocation of the certificate with this fingerprint (lower-case hex SHA-256 of its DER).
   */
  Optional<RevocationRecord> bySha256(String sha256);

  /** The revocation of the serial {@code serial} of the issuing CA. */
  Optional<RevocationRecord> bySerial(BigInteger serial);

  /** Whether the certificate with this fingerprint is revoked. */
  default boolean isRevoked(String sha256) {
    return bySha256(sha256).isPresent();
  }
}

package io.auditgate.controlplane.revocation;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One revoked certificate as the control plane recorded it.
 *
 * @param issuer the issuer's distinguished name (RFC 2253)
 * @param serial the certificate's serial number
 * @param certificateSha256 lower-case hex SHA-256 of the certificate's DER, when the certificate
 *     itself was known at revocation (a revocation by serial alone has none)
 * @param reason the RFC 5280 reason name, e.g. {@code keyCompromise}
 * @param revokedAt when it was first revoked; a second revocation never changes it
 * @param revokedBy who asked (token name, CLI user)
 * @param comment why, free text
 */
public record RevocationRecord(
    String issuer,
    BigInteger serial,
    Optional<String> certificateSha256,
    String reason,
    Instant revokedAt,
    String revokedBy,
    Optional<String> comment) {
  static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");

  public RevocationRecord {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(certificateSha256, "certificateSha256");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(revokedAt, "revokedAt");
    Objects.requireNonNull(revokedBy, "revokedBy");
    Objects.requireNonNull(comment, "comment");
    if (serial.signum() <= 0) {
      throw new IllegalArgumentException("serial must be positive, got " + serial);
    }
    certificateSha256.ifPresent(RevocationRecord::requireSha256);
  }

  /** The serial as lower-case hex, as OpenSSL and the inventory print it. */
  public String serialHex() {
    return serial.toString(16);
  }

  static String requireSha256(String sha256) {
    if (!SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException(
          "sha256 must be 64 lower-case hex digits, got '" + sha256 + "'");
    }
    return sha256;
  }
}

package io.auditgate.controlplane.inventory;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A certificate's revocation as the revocation view knows it.
 *
 * @param sha256 the certificate
 * @param revokedAt when it was revoked
 * @param reason the RFC 5280 reason name ({@code keyCompromise}, {@code superseded}, ...)
 */
public record Revocation(String sha256, Instant revokedAt, String reason) {
  private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");

  public Revocation {
    Objects.requireNonNull(sha256, "sha256");
    if (!SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got " + sha256);
    }
    Objects.requireNonNull(revokedAt, "revokedAt");
    Objects.requireNonNull(reason, "reason");
  }
}

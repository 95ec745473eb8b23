package io.auditgate.controlplane.revocation;

import java.util.Objects;
import java.util.Optional;

/**
 * A request to revoke one certificate.
 *
 * @param target which certificate
 * @param reason the RFC 5280 reason name ({@code keyCompromise}, {@code superseded}, ...); checked
 *     by {@link Revocations#revoke}, which answers {@link RevokeOutcome.InvalidReason} for others
 * @param revokedBy who asks (1–200 characters)
 * @param comment why, at most 2000 characters
 */
public record RevokeRequest(
    RevocationTarget target, String reason, String revokedBy, Optional<String> comment) {
  public RevokeRequest {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(revokedBy, "revokedBy");
    Objects.requireNonNull(comment, "comment");
    if (revokedBy.isBlank() || revokedBy.length() > 200) {
      throw new IllegalArgumentException(
          "revokedBy must be 1-200 characters, got '" + revokedBy + "'");
    }
    comment.ifPresent(
        c -> {
          if (c.length() > 2000) {
            throw new IllegalArgumentException("comment must be at most 2000 characters");
          }
        });
  }
}

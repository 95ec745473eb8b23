package io.auditgate.controlplane.inventory;

import java.util.Locale;
import java.util.Optional;

/**
 * The posture summary's rules as list filters, so that each count of {@link PostureSummary} can be
 * listed: the certificates {@code list(query.withCondition(c))} returns are exactly those the
 * summary counts under the same rule. All but {@link #REVOKED_STILL_CONNECTING} count certificates
 * in service (not expired, not revoked).
 */
public enum PostureCondition {
  /** A leaf (non-CA) certificate bound to nothing: {@link PostureSummary#unbound()}. */
  UNBOUND,
  /** Presented at a listener by more than one device: {@link PostureSummary#shared()}. */
  SHARED,
  /** Revoked, with a listener sighting after the revocation. */
  REVOKED_STILL_CONNECTING,
  /** An RSA key under 2048 bits: {@link PostureSummary#weakKeys()}. */
  WEAK_KEY,
  /** A SHA-1 (or MD5) signature: {@link PostureSummary#sha1Signatures()}. */
  SHA1_SIGNATURE,
  /** A chain not leading to a configured anchor: {@link PostureSummary#untrusted()}. */
  UNTRUSTED,
  /** Not-before longer ago than the maximum age: {@link PostureSummary#olderThanMaxAge()}. */
  OLDER_THAN_MAX_AGE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<PostureCondition> ofLabel(String label) {
    for (PostureCondition c : values()) {
      if (c.label().equals(label)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}

package io.auditgate.controlplane.replacement;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a device certificate is due for renewal and how long a replacement may wait for the device.
 *
 * @param automatic whether the scheduler plans replacements by itself
 * @param atFraction the renewal point as a fraction of the lifetime (0.5–0.95; default ⅔)
 * @param jitterFraction ± jitter as a fraction of the lifetime (0–0.2; default 10%)
 * @param jitterCap the jitter never exceeds this (±)
 * @param confirmWithin how long after the start the device has to connect with a new certificate
 *     before the replacement is blocked
 */
public record RenewalPolicy(
    boolean automatic,
    double atFraction,
    double jitterFraction,
    Duration jitterCap,
    Duration confirmWithin) {
  public static final RenewalPolicy DEFAULTS =
      new RenewalPolicy(false, 0.667, 0.10, Duration.ofDays(7), Duration.ofHours(1));

  public RenewalPolicy {
    Objects.requireNonNull(jitterCap, "jitterCap");
    Objects.requireNonNull(confirmWithin, "confirmWithin");
    if (!(atFraction >= 0.5 && atFraction <= 0.95)) {
      throw new IllegalArgumentException("atFraction must be 0.5-0.95, got " + atFraction);
    }
    if (!(jitterFraction >= 0 && jitterFraction <= 0.2)) {
      throw new IllegalArgumentException("jitterFraction must be 0-0.2, got " + jitterFraction);
    }
    if (jitterCap.isNegative()) {
      throw new IllegalArgumentException("jitterCap must not be negative");
    }
    if (confirmWithin.isNegative() || confirmWithin.isZero()) {
      throw new IllegalArgumentException("confirmWithin must be positive");
    }
  }

  /**
   * The instant the certificate is due for renewal: {@code atFraction} into its lifetime, shifted
   * by a jitter derived from its fingerprint — the same after every restart, different between
   * certificates issued together, so that a fleet enrolled in one day does not renew in one minute.
   * Clamped into the lifetime.
   */
  public Instant renewAt(String sha256, Instant notBefore, Instant notAfter) {
    long lifetime = Duration.between(notBefore, notAfter).toMillis();
    long jitter = Math.min((long) (lifetime * jitterFraction), jitterCap.toMillis());
    long offset = Math.round((2 * unit(sha256) - 1) * jitter);
    long at = Math.round(lifetime * atFraction) + offset;
    return notBefore.plusMillis(Math.max(0, Math.min(lifetime, at)));
  }

  /** The earliest fraction of the lifetime at which any certificate can be due (for queries). */
  public double earliestFraction() {
    return Math.max(0, atFraction - jitterFraction);
  }

  /** A number in [0, 1) from the fingerprint's hash, stable across processes. */
  static double unit(String sha256) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256").digest(sha256.getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 7; i++) {
        v = (v << 8) | (h[i] & 0xff);
      }
      return v / (double) (1L << 56);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}

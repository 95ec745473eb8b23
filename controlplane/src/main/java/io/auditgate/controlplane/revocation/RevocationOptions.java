package io.auditgate.controlplane.revocation;

import java.time.Duration;
import java.util.Objects;

/**
 * How long published revocation information is valid.
 *
 * @param crlValidity nextUpdate − thisUpdate of each CRL (1 minute to 7 days). The CRL is
 *     regenerated on every revocation and, at the latest, once half of this has passed, so relying
 *     parties that fetch at nextUpdate never hold an expired one.
 * @param ocspValidity nextUpdate − thisUpdate of OCSP answers (1 minute to 7 days)
 */
public record RevocationOptions(Duration crlValidity, Duration ocspValidity) {
  private static final Duration MIN = Duration.ofMinutes(1);
  private static final Duration MAX = Duration.ofDays(7);

  public RevocationOptions {
    Objects.requireNonNull(crlValidity, "crlValidity");
    Objects.requireNonNull(ocspValidity, "ocspValidity");
    check("crlValidity", crlValidity);
    check("ocspValidity", ocspValidity);
  }

  /** CRLs valid for 24 hours, OCSP answers for 1 hour. */
  public static RevocationOptions defaults() {
    return new RevocationOptions(Duration.ofHours(24), Duration.ofHours(1));
  }

  /** When the CRL signed at thisUpdate is renewed: after half its validity. */
  public Duration crlRefreshAfter() {
    return crlValidity.dividedBy(2);
  }

  private static void check(String name, Duration value) {
    if (value.compareTo(MIN) < 0 || value.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(name + " must be between 1m and 7d, got " + value);
    }
  }
}

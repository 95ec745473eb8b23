package io.auditgate.certs;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What the CA accepts in a device's certificate signing request, and how long what it issues lives.
 *
 * @param allowedKeys the key types a CSR may carry; at least one
 * @param minimumRsaBits the smallest RSA modulus accepted; at least 2048 (NIST SP 800-131A)
 * @param deviceCertificateLifetime how long an issued device certificate is valid (it starts {@link
 *     Validity#CLOCK_SKEW} before issuance); between one hour and ten years
 */
public record CsrPolicy(
    Set<CsrKeyType> allowedKeys, int minimumRsaBits, Duration deviceCertificateLifetime) {
  /** One year: renewal at 2/3 of the lifetime then happens every eight months. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofDays(365);

  public static final int MINIMUM_RSA_BITS = 2048;

  public CsrPolicy {
    Objects.requireNonNull(allowedKeys, "allowedKeys");
    if (allowedKeys.isEmpty()) {
      throw new IllegalArgumentException("allowedKeys must name at least one key type");
    }
    allowedKeys = Set.copyOf(allowedKeys);
    if (minimumRsaBits < MINIMUM_RSA_BITS) {
      throw new IllegalArgumentException(
          "minimumRsaBits must be at least " + MINIMUM_RSA_BITS + ", got " + minimumRsaBits);
    }
    Objects.requireNonNull(deviceCertificateLifetime, "deviceCertificateLifetime");
    if (deviceCertificateLifetime.compareTo(Duration.ofHours(1)) < 0
        || deviceCertificateLifetime.compareTo(Duration.ofDays(3650)) > 0) {
      throw new IllegalArgumentException(
          "deviceCertificateLifetime must be between 1 hour and 3650 days, got "
              + deviceCertificateLifetime);
    }
  }

  /** ECDSA P-256 and P-384 and RSA ≥ 2048, one-year certificates. */
  public static CsrPolicy defaults() {
    return new CsrPolicy(EnumSet.allOf(CsrKeyType.class), MINIMUM_RSA_BITS, DEFAULT_LIFETIME);
  }

  public CsrPolicy withLifetime(Duration lifetime) {
    return new CsrPolicy(allowedKeys, minimumRsaBits, lifetime);
  }
}

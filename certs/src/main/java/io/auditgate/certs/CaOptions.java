package io.auditgate.certs;

import static io.auditgate.core.config.Check.orDefault;

import java.time.Duration;

/**
 * How a new development CA is made. Every field may be null for its default.
 *
 * @param organization the O of both CA names and the start of their CNs; default {@code auditgate
 *     development}
 * @param keyAlgorithm the CA keys' type; default ECDSA P-256
 * @param rootValidity how long the root lives; default 10 years
 * @param issuingValidity how long the issuing CA lives; default 5 years, at most the root's
 */
public record CaOptions(
    String organization,
    KeyAlgorithm keyAlgorithm,
    Duration rootValidity,
    Duration issuingValidity) {

  public CaOptions {
    organization = orDefault(organization, "auditgate development");
    if (organization.isBlank() || organization.length() > 48) {
      // 48 leaves room for " Issuing CA" inside the 64-character upper bound of a CN.
      throw new IllegalArgumentException(
          "organization must be 1 to 48 characters, got '" + organization + "'");
    }
    keyAlgorithm = orDefault(keyAlgorithm, KeyAlgorithm.EC_P256);
    rootValidity = orDefault(rootValidity, Duration.ofDays(3650));
    issuingValidity = orDefault(issuingValidity, Duration.ofDays(1825));
    if (rootValidity.compareTo(Duration.ofDays(1)) < 0
        || issuingValidity.compareTo(Duration.ofDays(1)) < 0) {
      throw new IllegalArgumentException("CA validity must be at least one day");
    }
    if (issuingValidity.compareTo(rootValidity) > 0) {
      throw new IllegalArgumentException(
          "issuing CA validity " + issuingValidity + " must not exceed the root's " + rootValidity);
    }
  }

  public static CaOptions defaults() {
    return new CaOptions(null, null, null, null);
  }

  public CaOptions withKeyAlgorithm(KeyAlgorithm algorithm) {
    return new CaOptions(organization, algorithm, rootValidity, issuingValidity);
  }
}

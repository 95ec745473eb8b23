package io.auditgate.core.config;

import static io.auditgate.core.config.Check.orDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Section {@code certificates.enrolment}: the built-in CA issuing device certificates from CSRs,
 * served over EST ({@code /.well-known/est/…}) by the web server. See
 * docs/certificates-enrolment.md.
 *
 * @param enabled serve EST and ask web clients for an optional client certificate; default false
 *     (devices enrol only where an operator turned it on)
 * @param caDir the CA directory ({@code auditgate certs init --ca-dir}); default {@code data/ca}
 * @param caPassphraseFile file whose first line decrypts the CA keys; null when they are not
 *     encrypted
 * @param deviceCertificateLifetime how long an issued device certificate is valid; 1 h to 3650 d,
 *     default 365 d
 * @param allowedKeys key types a CSR may carry, of {@code ec-p256}, {@code ec-p384}, {@code rsa};
 *     default all three
 * @param minimumRsaBits the smallest RSA key accepted; at least 2048, default 2048
 */
public record EnrolmentConfig(
    Boolean enabled,
    Path caDir,
    Path caPassphraseFile,
    Duration deviceCertificateLifetime,
    List<String> allowedKeys,
    Integer minimumRsaBits) {
  public static final Set<String> KEY_TYPES = Set.of("ec-p256", "ec-p384", "rsa");

  public EnrolmentConfig {
    enabled = orDefault(enabled, false);
    caDir = orDefault(caDir, Path.of("data", "ca"));
    deviceCertificateLifetime =
        Check.between(
            "device_certificate_lifetime",
            orDefault(deviceCertificateLifetime, Duration.ofDays(365)),
            Duration.ofHours(1),
            Duration.ofDays(3650));
    allowedKeys = List.copyOf(orDefault(allowedKeys, List.of("ec-p256", "ec-p384", "rsa")));
    Check.that(!allowedKeys.isEmpty(), "allowed_keys", "must name at least one key type");
    for (String key : allowedKeys) {
      Check.that(
          KEY_TYPES.contains(key),
          "allowed_keys",
          "must be among ec-p256, ec-p384, rsa, got '" + key + "'");
    }
    minimumRsaBits = orDefault(minimumRsaBits, 2048);
    Check.that(
        minimumRsaBits >= 2048 && minimumRsaBits <= 16384,
        "minimum_rsa_bits",
        "must be between 2048 and 16384, got " + minimumRsaBits);
  }

  public static EnrolmentConfig defaults() {
    return new EnrolmentConfig(null, null, null, null, null, null);
  }

  public EnrolmentConfig withEnabled(boolean on) {
    return new EnrolmentConfig(
        on, caDir, caPassphraseFile, deviceCertificateLifetime, allowedKeys, minimumRsaBits);
  }

  public EnrolmentConfig withCaDir(Path dir) {
    return new EnrolmentConfig(
        enabled, dir, caPassphraseFile, deviceCertificateLifetime, allowedKeys, minimumRsaBits);
  }
}

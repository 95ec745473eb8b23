package io.auditgate.core.config;

import static io.auditgate.core.config.Check.orDefault;

import java.time.Duration;

/**
 * Section {@code certificates.renewal}: automatic renewal of device certificates and the deadlines
 * of the replacement workflow. Every field may be left out. Design:
 * docs/certificates-replacement.md.
 *
 * @param enabled plan and start replacements automatically when a device certificate passes its
 *     renew point; default false (replacements through the API and CLI work either way)
 * @param atFraction the renew point as a fraction of the lifetime, 0.5..0.95; default 0.667
 * @param jitter ± jitter of the renew point as a fraction of the lifetime, 0..0.2; default 0.1
 * @param jitterCap the jitter never exceeds this; 0..90 days, default 7 days
 * @param checkInterval how often replacements are advanced and due certificates looked for; 1 s..1
 *     day, default 1 min
 * @param confirmWithin how long a device has to connect with its new certificate before the
 *     replacement is blocked; 10 s..30 days, default 1 h
 */
public record CertificateRenewalConfig(
    Boolean enabled,
    Double atFraction,
    Double jitter,
    Duration jitterCap,
    Duration checkInterval,
    Duration confirmWithin) {
  public CertificateRenewalConfig {
    enabled = orDefault(enabled, false);
    atFraction = orDefault(atFraction, 0.667);
    Check.that(
        atFraction >= 0.5 && atFraction <= 0.95,
        "at_fraction",
        "must be 0.5..0.95, got " + atFraction);
    jitter = orDefault(jitter, 0.10);
    Check.that(jitter >= 0 && jitter <= 0.2, "jitter", "must be 0..0.2, got " + jitter);
    jitterCap =
        Check.between(
            "jitter_cap",
            orDefault(jitterCap, Duration.ofDays(7)),
            Duration.ZERO,
            Duration.ofDays(90));
    checkInterval =
        Check.between(
            "check_interval",
            orDefault(checkInterval, Duration.ofMinutes(1)),
            Duration.ofSeconds(1),
            Duration.ofDays(1));
    confirmWithin =
        Check.between(
            "confirm_within",
            orDefault(confirmWithin, Duration.ofHours(1)),
            Duration.ofSeconds(10),
            Duration.ofDays(30));
  }

  /** Every setting at its default. */
  public static CertificateRenewalConfig defaults() {
    return new CertificateRenewalConfig(null, null, null, null, null, null);
  }

  public CertificateRenewalConfig withEnabled(boolean value) {
    return new CertificateRenewalConfig(
        value, atFraction, jitter, jitterCap, checkInterval, confirmWithin);
  }

  public CertificateRenewalConfig withIntervals(Duration check, Duration confirm) {
    return new CertificateRenewalConfig(enabled, atFraction, jitter, jitterCap, check, confirm);
  }
}

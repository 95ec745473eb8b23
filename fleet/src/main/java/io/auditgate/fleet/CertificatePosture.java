package io.auditgate.fleet;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The client certificates devices presented at the MQTT listener, as its connect events recorded
 * them: the posture the dashboard shows until the certificate inventory exists.
 *
 * @param asOf the clock the days to expiry are counted against
 * @param certificates by expiry, soonest first
 * @param expiringWithin30Days not yet expired, expiring within 30 days of {@code asOf}
 * @param devicesWithSeveralCertificates devices seen with more than one certificate, by id
 */
public record CertificatePosture(
    Instant asOf,
    long certificatesSeen,
    long expired,
    long expiringWithin30Days,
    List<SeenCertificate> certificates,
    List<DeviceCertificates> devicesWithSeveralCertificates) {
  public CertificatePosture {
    Objects.requireNonNull(asOf, "asOf");
    Values.notNegative("certificatesSeen", certificatesSeen);
    Values.notNegative("expired", expired);
    Values.notNegative("expiringWithin30Days", expiringWithin30Days);
    certificates = List.copyOf(certificates);
    devicesWithSeveralCertificates = List.copyOf(devicesWithSeveralCertificates);
  }

  /**
   * One certificate seen.
   *
   * @param sha256 the SHA-256 fingerprint of its DER encoding, lower-case hex
   * @param daysToExpiry whole days from {@code asOf} to {@code notAfter}; negative once expired
   * @param deviceIds devices that presented it
   */
  public record SeenCertificate(
      String sha256,
      String subject,
      Instant notAfter,
      long daysToExpiry,
      boolean expired,
      Set<String> deviceIds,
      Instant firstSeenAt,
      Instant lastSeenAt) {
    public SeenCertificate {
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(notAfter, "notAfter");
      deviceIds = Set.copyOf(deviceIds);
      Objects.requireNonNull(firstSeenAt, "firstSeenAt");
      Objects.requireNonNull(lastSeenAt, "lastSeenAt");
    }
  }

  /** A device and the fingerprints it presented, oldest first. */
  public record DeviceCertificates(String deviceId, List<String> sha256s) {
    public DeviceCertificates {
      Objects.requireNonNull(deviceId, "deviceId");
      sha256s = List.copyOf(sha256s);
    }
  }
}

package io.auditgate.controlplane.inventory;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The fleet's certificate posture at one instant. The counts other than {@code total}, {@code
 * byStatus} and {@code revokedStillConnecting} count certificates "in service": not expired and not
 * revoked.
 *
 * @param total every certificate in the inventory
 * @param byStatus count per derived status (every status present, zero when none)
 * @param expiringWithin window (days) → certificates in service that expire within it
 * @param unbound leaf certificates in service bound to nothing (no device, gateway, listener,
 *     endpoint or trust bundle)
 * @param shared certificates in service presented by more than one device
 * @param revokedStillConnecting revoked certificates seen at a listener after their revocation
 * @param weakKeys certificates in service with an RSA key under 2048 bits
 * @param sha1Signatures certificates in service signed with SHA-1 (or MD5)
 * @param untrusted certificates in service whose chain does not lead to a configured anchor
 * @param olderThanMaxAge certificates in service issued (not-before) longer ago than the maximum
 *     age
 */
public record PostureSummary(
    Instant evaluatedAt,
    long total,
    Map<CertificateStatus, Long> byStatus,
    Map<Integer, Long> expiringWithin,
    long unbound,
    long shared,
    long revokedStillConnecting,
    long weakKeys,
    long sha1Signatures,
    long untrusted,
    long olderThanMaxAge) {
  public PostureSummary {
    Objects.requireNonNull(evaluatedAt, "evaluatedAt");
    // ordered copies: statuses in declaration order, windows ascending
    Objects.requireNonNull(byStatus, "byStatus");
    byStatus = byStatus.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(byStatus));
    expiringWithin =
        Collections.unmodifiableMap(
            new TreeMap<>(Objects.requireNonNull(expiringWithin, "expiringWithin")));
  }
}

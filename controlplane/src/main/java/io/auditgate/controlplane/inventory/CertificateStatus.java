package io.auditgate.controlplane.inventory;

import java.util.Locale;
import java.util.Optional;

/**
 * A certificate's status, derived at read time, first match wins: {@link #REVOKED} (the revocation
 * view says so), {@link #EXPIRED} (not-after passed), {@link #UNTRUSTED} (no path to a configured
 * anchor), {@link #REPLACED} (a newer certificate names the same device), {@link #EXPIRING_SOON}
 * (within the largest expiry window AND less than a third of its lifetime left), else {@link
 * #ACTIVE}. Never stored.
 */
public enum CertificateStatus {
  ACTIVE,
  EXPIRING_SOON,
  EXPIRED,
  REVOKED,
  REPLACED,
  UNTRUSTED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<CertificateStatus> ofLabel(String label) {
    for (CertificateStatus s : values()) {
      if (s.label().equals(label)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}

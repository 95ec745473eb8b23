package io.auditgate.controlplane.inventory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The rules status and posture apply.
 *
 * @param expiryWindowDays the "expiring in N days" windows, ascending, each 1..3650; the largest
 *     bounds {@link CertificateStatus#EXPIRING_SOON}
 * @param maxAge a certificate older than this (since not-before) counts in the posture's "older
 *     than maximum age"
 */
public record InventoryPolicy(List<Integer> expiryWindowDays, Duration maxAge) {
  public InventoryPolicy {
    expiryWindowDays = List.copyOf(Objects.requireNonNull(expiryWindowDays, "expiryWindowDays"));
    if (expiryWindowDays.isEmpty() || expiryWindowDays.size() > 8) {
      throw new IllegalArgumentException(
          "expiryWindowDays must hold 1..8 windows, got " + expiryWindowDays);
    }
    int previous = 0;
    for (int days : expiryWindowDays) {
      if (days < 1 || days > 3650 || days <= previous) {
        throw new IllegalArgumentException(
            "expiryWindowDays must be ascending, each 1..3650, got " + expiryWindowDays);
      }
      previous = days;
    }
    Objects.requireNonNull(maxAge, "maxAge");
    if (maxAge.toDays() < 1) {
      throw new IllegalArgumentException("maxAge must be at least 1 day, got " + maxAge);
    }
  }

  /** 30/60/90-day windows; 825 days maximum age (the longest a public TLS certificate lived). */
  public static InventoryPolicy defaults() {
    return new InventoryPolicy(List.of(30, 60, 90), Duration.ofDays(825));
  }

  /** The largest window. */
  public int soonDays() {
    return expiryWindowDays.get(expiryWindowDays.size() - 1);
  }
}

package io.auditgate.controlplane.inventory;

import java.util.Locale;
import java.util.Optional;

/** The orders a certificate list can be sorted in; ties are broken by fingerprint. */
public enum CertificateSort {
  NOT_AFTER("c.not_after"),
  NOT_BEFORE("c.not_before"),
  LAST_SEEN("c.last_seen_at"),
  FIRST_SEEN("c.first_seen_at"),
  SUBJECT("c.subject");

  private final String column;

  CertificateSort(String column) {
    this.column = column;
  }

  /** The SQL column (a constant, never user text). */
  public String column() {
    return column;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<CertificateSort> ofLabel(String label) {
    for (CertificateSort s : values()) {
      if (s.label().equals(label)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}

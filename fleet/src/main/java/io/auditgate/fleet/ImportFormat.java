package io.auditgate.fleet;

import java.util.Locale;
import java.util.Optional;

/** Formats {@link FleetRegistry#importDevices} reads; examples in docs/fleet.md. */
public enum ImportFormat {
  /**
   * RFC 4180 CSV with a header line naming the columns: {@code id} (required), {@code name}, {@code
   * profile}, {@code location}, {@code firmware_version}, {@code bound_certificate_sha256}, {@code
   * tags} ({@code key=value;key=value}).
   */
  CSV,
  /**
   * A JSON array of objects with the same fields as the CSV columns, {@code tags} an object of
   * strings.
   */
  JSON;

  public static Optional<ImportFormat> fromName(String name) {
    for (ImportFormat f : values()) {
      if (f.name().equalsIgnoreCase(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}

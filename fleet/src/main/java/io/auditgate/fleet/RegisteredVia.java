package io.auditgate.fleet;

import java.util.Locale;
import java.util.Optional;

/** How a device came into the registry. Wire names are the lower-case constant names. */
public enum RegisteredVia {
  /** The store created it on its first authenticated contact (telemetry or connect). */
  FIRST_CONTACT,
  /** A CSV or JSON import ({@code auditgate devices import}). */
  IMPORT,
  /** A single registration through {@link FleetRegistry} (the HTTP API). */
  API;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<RegisteredVia> fromWireName(String name) {
    for (RegisteredVia v : values()) {
      if (v.wireName().equals(name)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}

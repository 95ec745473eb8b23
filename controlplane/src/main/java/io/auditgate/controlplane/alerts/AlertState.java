package io.auditgate.controlplane.alerts;

import java.util.Locale;

/**
 * An alert's life: raised → (acknowledged) → resolved. Acknowledging says a person has seen it;
 * only the condition going away resolves it.
 */
public enum AlertState {
  RAISED,
  ACKNOWLEDGED,
  RESOLVED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static AlertState fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}

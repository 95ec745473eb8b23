package io.auditgate.controlplane.alerts;

import java.util.Locale;

/** How urgent an alert is; its wire name is the lower-case constant name. */
public enum AlertSeverity {
  INFO,
  WARNING,
  CRITICAL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package io.auditgate.controlplane.alerts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The certificate conditions that raise an alert, each with a fixed severity. The expiry windows
 * escalate: a certificate is reported under the tightest window it is in, so crossing from 60 into
 * 30 days resolves the 60-day alert and raises the 30-day one (docs/certificates.md).
 */
public enum AlertRule {
  EXPIRING_90_DAYS(AlertSeverity.INFO, "expires within 90 days"),
  EXPIRING_60_DAYS(AlertSeverity.WARNING, "expires within 60 days"),
  EXPIRING_30_DAYS(AlertSeverity.CRITICAL, "expires within 30 days"),
  LOW_REMAINING_LIFETIME(AlertSeverity.WARNING, "less than a third of its lifetime left"),
  EXPIRED(AlertSeverity.CRITICAL, "expired"),
  REVOKED_STILL_SEEN(AlertSeverity.CRITICAL, "revoked but still seen connecting"),
  UNTRUSTED_CHAIN(AlertSeverity.CRITICAL, "chain does not lead to a configured trust anchor"),
  SHARED(AlertSeverity.CRITICAL, "used by more than one device"),
  WEAK_KEY(AlertSeverity.WARNING, "weak key"),
  WEAK_SIGNATURE(AlertSeverity.WARNING, "weak signature algorithm"),
  TOO_OLD(AlertSeverity.WARNING, "older than the maximum age"),
  UNBOUND(AlertSeverity.INFO, "not bound to any device, gateway or endpoint");

  private final AlertSeverity severity;
  private final String description;

  AlertRule(AlertSeverity severity, String description) {
    this.severity = severity;
    this.description = description;
  }

  public AlertSeverity severity() {
    return severity;
  }

  /** What the rule says about a certificate, for the alert's summary. */
  public String description() {
    return description;
  }

  /** The name in the API, the database and webhooks, e.g. {@code expiring_30_days}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<AlertRule> fromWireName(String name) {
    return Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst();
  }
}

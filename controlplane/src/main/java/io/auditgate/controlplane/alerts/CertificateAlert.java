package io.auditgate.controlplane.alerts;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** One alert as stored: what fired, for which certificate, and where it is in its life. */
public record CertificateAlert(
    long id,
    AlertRule rule,
    String sha256,
    String subject,
    String summary,
    Map<String, String> details,
    AlertState state,
    Instant raisedAt,
    Optional<Instant> acknowledgedAt,
    Optional<String> acknowledgedBy,
    Optional<Instant> resolvedAt) {
  public CertificateAlert {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(summary, "summary");
    details = Map.copyOf(details);
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(raisedAt, "raisedAt");
    Objects.requireNonNull(acknowledgedAt, "acknowledgedAt");
    Objects.requireNonNull(acknowledgedBy, "acknowledgedBy");
    Objects.requireNonNull(resolvedAt, "resolvedAt");
  }

  public AlertSeverity severity() {
    return rule.severity();
  }

  public String key() {
    return rule.wireName() + ":" + sha256;
  }
}

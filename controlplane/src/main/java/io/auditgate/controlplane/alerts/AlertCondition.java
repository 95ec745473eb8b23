package io.auditgate.controlplane.alerts;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One rule firing for one certificate now, as the posture evaluation reports it.
 *
 * @param rule the rule
 * @param sha256 the certificate's SHA-256 fingerprint, 64 lower-case hex digits
 * @param subject the certificate's subject, for people reading the alert
 * @param details the evidence for the rule (for example days left, key size), copied into the alert
 */
public record AlertCondition(
    AlertRule rule, String sha256, String subject, Map<String, String> details) {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public AlertCondition {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(subject, "subject");
    if (sha256 == null || !SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits: " + sha256);
    }
    details = Map.copyOf(details);
  }

  /** The alert's identity: at most one alert per key is open at a time. */
  public String key() {
    return rule.wireName() + ":" + sha256;
  }
}

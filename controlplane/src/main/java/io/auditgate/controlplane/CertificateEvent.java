package io.auditgate.controlplane;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of a certificate's timeline.
 *
 * @param kind what happened, for example {@code alert_raised}, {@code revoked}, {@code issued}
 * @param summary one line for people
 * @param details the evidence, as stored
 */
public record CertificateEvent(
    long id, String sha256, Instant at, String kind, String summary, Map<String, String> details) {
  public CertificateEvent {
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(summary, "summary");
    details = Map.copyOf(details);
  }
}

package io.auditgate.controlplane.inventory;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** One transition of a certificate's renewal workflow. */
public record RenewalChange(
    RenewalState from, RenewalState to, Optional<String> reason, String actor, Instant at) {
  public RenewalChange {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(at, "at");
  }
}

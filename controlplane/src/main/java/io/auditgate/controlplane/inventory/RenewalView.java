package io.auditgate.controlplane.inventory;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A certificate's renewal workflow now. {@code updatedAt} is empty while not started. */
public record RenewalView(
    RenewalState state,
    Optional<String> reason,
    Optional<String> replacementSha256,
    Optional<Instant> updatedAt) {
  public static final RenewalView NOT_STARTED =
      new RenewalView(
          RenewalState.NOT_STARTED, Optional.empty(), Optional.empty(), Optional.empty());

  public RenewalView {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(replacementSha256, "replacementSha256");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}

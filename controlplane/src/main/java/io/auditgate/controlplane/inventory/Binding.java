package io.auditgate.controlplane.inventory;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A certificate bound to something.
 *
 * @param target the device id, gateway id, listener name, {@code host:port} or bundle name
 * @param boundAt when, if known (a device binding made through the registry has no time)
 */
public record Binding(BindingKind kind, String target, Optional<Instant> boundAt) {
  public Binding {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(target, "target");
    if (target.isEmpty() || target.length() > 1024) {
      throw new IllegalArgumentException("target must be 1..1024 characters");
    }
    Objects.requireNonNull(boundAt, "boundAt");
  }
}

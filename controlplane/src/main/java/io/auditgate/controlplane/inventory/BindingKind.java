package io.auditgate.controlplane.inventory;

import java.util.Locale;
import java.util.Optional;

/**
 * What a certificate is bound to. A {@link #DEVICE} binding is the fleet registry's {@code
 * devices.bound_certificate_sha256} and exclusive (one device per certificate); the others may be
 * many.
 */
public enum BindingKind {
  DEVICE,
  GATEWAY,
  LISTENER,
  ENDPOINT,
  TRUST_BUNDLE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<BindingKind> ofLabel(String label) {
    for (BindingKind k : values()) {
      if (k.label().equals(label)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}

package io.auditgate.controlplane.inventory;

/** The outcome of binding a certificate. */
public sealed interface BindOutcome {
  /** Bound (or already bound to the same target). */
  record Bound(Binding binding) implements BindOutcome {}

  /** The certificate is not in the inventory. */
  record UnknownCertificate(String sha256) implements BindOutcome {}

  /** The device is not registered. */
  record UnknownDevice(String deviceId) implements BindOutcome {}

  /** A device binding is exclusive and the certificate is bound to another device. */
  record BoundElsewhere(String sha256, String otherDeviceId) implements BindOutcome {}
}

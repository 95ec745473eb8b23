package io.auditgate.controlplane.inventory;

/** The outcome of moving a renewal workflow. */
public sealed interface RenewalOutcome {
  /** Moved; the change is in the history. */
  record Changed(RenewalChange change) implements RenewalOutcome {}

  /** The certificate is not in the inventory. */
  record UnknownCertificate(String sha256) implements RenewalOutcome {}

  /**
   * Not allowed: from {@code from} only {@code from.next()} may follow, or blocked lacks a reason.
   */
  record Refused(RenewalState from, RenewalState to, String message) implements RenewalOutcome {}
}

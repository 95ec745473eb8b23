package io.auditgate.controlplane.enrolment;

/**
 * Told about every certificate the CA issued, after the issuance was committed: the inventory
 * records it, the fleet registry binds it to its device. Called on the issuing thread (a web worker
 * or the CLI), once per issuance, in commit order per {@link Enrolment}.
 *
 * <p>An implementation must be thread-safe and should be quick; what it throws is logged and does
 * not undo the issuance (the certificate is already in {@code certificate_issuances}, from which a
 * missed notification can be replayed).
 */
@FunctionalInterface
public interface IssuanceListener {
  void issued(IssuanceRecord record);
}

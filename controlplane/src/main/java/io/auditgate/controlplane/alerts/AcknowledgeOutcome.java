package io.auditgate.controlplane.alerts;

/** What acknowledging an alert did. */
public sealed interface AcknowledgeOutcome {

  /** The alert was raised and is now acknowledged. */
  record Acknowledged(CertificateAlert alert) implements AcknowledgeOutcome {}

  /** Someone acknowledged it before; nothing changed. */
  record AlreadyAcknowledged(CertificateAlert alert) implements AcknowledgeOutcome {}

  /** Its condition has gone away; there is nothing left to acknowledge. */
  record AlreadyResolved(CertificateAlert alert) implements AcknowledgeOutcome {}

  /** No alert has this id. */
  record NotFound(long id) implements AcknowledgeOutcome {}
}

package io.auditgate.controlplane.revocation;

import io.auditgate.core.AuditgateException;

/** The revocation tables could not be read or written (the database is down or refused). */
public class UnableToUseRevocationsException extends AuditgateException {
  public UnableToUseRevocationsException(String message, Throwable cause) {
    super(message, cause);
  }
}

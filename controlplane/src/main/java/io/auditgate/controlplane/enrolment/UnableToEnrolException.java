package io.auditgate.controlplane.enrolment;

import io.auditgate.core.AuditgateException;

/**
 * The unexpected during enrolment: the database cannot be reached or written. Nothing was committed
 * (a certificate may have been signed in memory, but it was neither recorded nor handed out).
 */
public class UnableToEnrolException extends AuditgateException {
  public UnableToEnrolException(String message, Throwable cause) {
    super(message, cause);
  }
}

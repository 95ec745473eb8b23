package io.auditgate.core;

/** Unchecked root of every exception auditgate throws for an unexpected condition. */
public class AuditgateException extends RuntimeException {
  public AuditgateException(String message) {
    super(message);
  }

  public AuditgateException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.auditgate.store;

import io.auditgate.core.AuditgateException;

/** Unchecked root of what the store throws for an unexpected condition. */
public class StoreException extends AuditgateException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

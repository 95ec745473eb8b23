package io.auditgate.core.wal;

import io.auditgate.core.AuditgateException;

/** Unchecked root of the write-ahead log's exceptions. */
public class WalException extends AuditgateException {
  public WalException(String message) {
    super(message);
  }

  public WalException(String message, Throwable cause) {
    super(message, cause);
  }
}

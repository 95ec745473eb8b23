package io.auditgate.ingest;

import io.auditgate.core.AuditgateException;

/** Unchecked root of the ingest module's exceptions, all of them for unexpected conditions. */
public class IngestException extends AuditgateException {
  public IngestException(String message) {
    super(message);
  }

  public IngestException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.auditgate.embedded;

import io.auditgate.core.AuditgateException;

/** The embedded PostgreSQL server could not be unpacked, initialised or started. */
public class UnableToStartPostgresException extends AuditgateException {
  public UnableToStartPostgresException(String message) {
    super(message);
  }

  public UnableToStartPostgresException(String message, Throwable cause) {
    super(message, cause);
  }
}

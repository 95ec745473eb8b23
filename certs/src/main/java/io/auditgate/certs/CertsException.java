package io.auditgate.certs;

import io.auditgate.core.AuditgateException;

/**
 * Unchecked root of what the certs module throws for the unexpected: unreadable or inconsistent CA
 * files, a JCA provider that lacks an algorithm. Expected outcomes (a CA directory that is empty, a
 * missing or wrong passphrase) are {@link CaLoadResult}s instead.
 */
public class CertsException extends AuditgateException {
  public CertsException(String message) {
    super(message);
  }

  public CertsException(String message, Throwable cause) {
    super(message, cause);
  }
}

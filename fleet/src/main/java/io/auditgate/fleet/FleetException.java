package io.auditgate.fleet;

import io.auditgate.core.AuditgateException;

/**
 * Unchecked root of what the fleet model throws for an unexpected condition (the database cannot be
 * reached, a statement fails). Expected outcomes, such as a device that does not exist or an import
 * row that is invalid, are return values, never exceptions.
 */
public class FleetException extends AuditgateException {
  public FleetException(String message) {
    super(message);
  }

  public FleetException(String message, Throwable cause) {
    super(message, cause);
  }
}

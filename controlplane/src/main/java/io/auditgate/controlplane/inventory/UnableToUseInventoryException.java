package io.auditgate.controlplane.inventory;

import io.auditgate.core.AuditgateException;

/**
 * The inventory's database could not be reached or a statement failed: the unexpected. Expected
 * outcomes (an unknown certificate, a binding refused) are return values.
 */
public class UnableToUseInventoryException extends AuditgateException {
  public UnableToUseInventoryException(String message, Throwable cause) {
    super(message, cause);
  }
}

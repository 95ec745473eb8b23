package io.auditgate.controlplane;

import io.auditgate.core.AuditgateException;

/**
 * The control plane's store could not be read or written (unreachable, or a failed statement).
 * Expected outcomes (an unknown id, an alert already acknowledged) are return values, never this.
 */
public class UnableToUseControlPlaneException extends AuditgateException {
  public UnableToUseControlPlaneException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.auditgate.sim;

import io.auditgate.core.AuditgateException;

/** Unchecked root of the simulator's exceptions: something a simulation cannot run with. */
public class SimulationException extends AuditgateException {
  public SimulationException(String message, Throwable cause) {
    super(message, cause);
  }
}

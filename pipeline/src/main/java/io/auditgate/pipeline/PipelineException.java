package io.auditgate.pipeline;

import io.auditgate.core.AuditgateException;

/**
 * Unchecked root of what the pipeline module throws for an unexpected condition: a sink that cannot
 * be built from its settings, or a dispatcher used after it was closed. Failed deliveries are never
 * exceptions; they are {@link io.auditgate.core.sink.Delivery} outcomes.
 */
public class PipelineException extends AuditgateException {
  public PipelineException(String message) {
    super(message);
  }

  public PipelineException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.auditgate.controlplane.replacement;

/** The store could not be used for a replacement step; the step can be retried. */
public final class UnableToReplaceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnableToReplaceException(String message, Throwable cause) {
    super(message, cause);
  }
}

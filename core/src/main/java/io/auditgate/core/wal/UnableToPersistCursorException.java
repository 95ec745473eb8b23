package io.auditgate.core.wal;

/** A cursor position or dead letter could not be made durable; the previous state stands. */
public class UnableToPersistCursorException extends WalException {
  public UnableToPersistCursorException(String message, Throwable cause) {
    super(message, cause);
  }
}

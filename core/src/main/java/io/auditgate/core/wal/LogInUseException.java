package io.auditgate.core.wal;

/**
 * Another process (or another open log in this one) holds the log directory. Two writers on one log
 * would interleave segments and lose acknowledged records, so the second is refused.
 */
public class LogInUseException extends WalException {
  public LogInUseException(String message) {
    super(message);
  }
}

package io.auditgate.core.wal;

/** The log's files are not in a state the log can recover from without losing data silently. */
public class CorruptLogException extends WalException {
  public CorruptLogException(String message) {
    super(message);
  }
}

package io.auditgate.core.wal;

/**
 * A write or {@code force} of the log failed. The records of the failing batch are not stored; the
 * log refuses further appends, because after a failed {@code fsync} the kernel may have dropped
 * dirty pages and a retry could report success for data that is gone.
 */
public class WalWriteFailedException extends WalException {
  public WalWriteFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.auditgate.ingest.pipeline;

import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.core.wal.DeadLetter;
import io.auditgate.core.wal.LossRange;
import io.auditgate.core.wal.MessageState;
import io.auditgate.core.wal.RecoveryReport;
import io.auditgate.core.wal.UnableToPersistCursorException;
import io.auditgate.core.wal.WalCursor;
import io.auditgate.core.wal.WalMetrics;
import io.auditgate.core.wal.WalWriteFailedException;
import io.auditgate.core.wal.WriteAheadLog;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A log whose disk has just failed: it queues appends, then fails them at the force, and cannot
 * write dead letters. The real log reaches this state only through an I/O error, which these tests
 * have no portable way to cause.
 */
final class FailingWal implements WriteAheadLog {
  @Override
  public AppendOutcome append(byte type, byte[] body) {
    return new AppendOutcome.Accepted(
        CompletableFuture.failedFuture(
            new WalWriteFailedException(
                "force failed: Input/output error", new IOException("EIO"))));
  }

  @Override
  public DeadLetter deadLetter(String source, String reasonCode, String detail, byte[] body) {
    throw new UnableToPersistCursorException(
        "cannot write dead letter: No space left on device", new IOException("ENOSPC"));
  }

  @Override
  public long startOffset() {
    throw unused();
  }

  @Override
  public long durableEndOffset() {
    throw unused();
  }

  @Override
  public boolean awaitDurable(long offset, Duration timeout) {
    throw unused();
  }

  @Override
  public WalCursor cursor(String name) {
    throw unused();
  }

  @Override
  public List<String> cursorNames() {
    throw unused();
  }

  @Override
  public Optional<MessageState> state(String cursor, long offset) {
    throw unused();
  }

  @Override
  public List<DeadLetter> deadLetters() {
    throw unused();
  }

  @Override
  public List<LossRange> losses() {
    throw unused();
  }

  @Override
  public RecoveryReport recoveryReport() {
    throw unused();
  }

  @Override
  public WalMetrics metrics() {
    throw unused();
  }

  @Override
  public void close() {}

  private static UnsupportedOperationException unused() {
    return new UnsupportedOperationException("the pipeline does not call this");
  }
}

package io.auditgate.core.wal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's durable write-ahead log: every accepted message is appended here before the device
 * is acknowledged, and every sink reads it back through its own {@link WalCursor}.
 *
 * <p>Thread-safety: all methods may be called from any thread. {@link #append} never blocks on I/O;
 * {@link #awaitDurable} blocks by design.
 *
 * <p>Guarantee: once an {@link AppendOutcome.Accepted#durable()} future completes normally, the
 * record survives a crash of the process or the machine and is returned, intact and in order, to
 * every cursor that has not acknowledged it. Records are removed only as whole segments, after
 * every cursor has passed them, or (only when configured) by dropping the oldest when full.
 */
public interface WriteAheadLog extends AutoCloseable {

  /**
   * Queues a record for the next group commit.
   *
   * @param type record type, 1..127
   * @param body the record's bytes; the log keeps a reference until it is written, so the caller
   *     must not modify the array afterwards
   * @return {@link AppendOutcome.Accepted} with a future completed when the record is durable, or
   *     {@link AppendOutcome.Refused} with the reason when it will not be written
   */
  AppendOutcome append(byte type, byte[] body);

  /** Offset of the oldest record still held. */
  long startOffset();

  /** Offset one past the newest durable record: every record below it is on stable storage. */
  long durableEndOffset();

  /**
   * Blocks until a record at {@code offset} is durable, the timeout passes or the log is closed.
   *
   * @return true if {@code offset < durableEndOffset()} on return
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  boolean awaitDurable(long offset, Duration timeout) throws InterruptedException;

  /**
   * Opens the named cursor, creating it at the oldest held record if it does not exist yet. A
   * cursor is meant for one reader at a time; opening the same name twice returns the same cursor.
   *
   * @param name {@code ^[a-z][a-z0-9_-]{0,63}$}, typically the sink's name
   */
  WalCursor cursor(String name);

  /** Names of the cursors that exist on disk. */
  List<String> cursorNames();

  /**
   * Where the record at {@code offset} stands for the named cursor; empty if no record was ever
   * durably written at that offset or the cursor does not exist.
   */
  Optional<MessageState> state(String cursor, long offset);

  /**
   * Appends a record that never entered the log (for example an invalid payload refused at ingest)
   * to the dead-letter log; returns once it is durable.
   *
   * @throws UnableToPersistCursorException if it could not be made durable
   */
  DeadLetter deadLetter(String source, String reasonCode, String detail, byte[] body);

  /** Every dead letter written so far, oldest first. */
  List<DeadLetter> deadLetters();

  /**
   * Offset ranges some cursor will never receive although it had not acknowledged them (dropped
   * under the opt-in drop-oldest policy, or quarantined as corrupt), oldest first.
   */
  List<LossRange> losses();

  /** What opening the log found. */
  RecoveryReport recoveryReport();

  /** A consistent-enough snapshot of the log's counters and histograms. */
  WalMetrics metrics();

  /**
   * Stops accepting appends, writes and forces what is queued, completes its futures and closes
   * every file. Idempotent.
   */
  @Override
  void close();
}

package io.auditgate.core.wal;

import java.util.List;

/**
 * One sink's position in the log. Reading moves an in-memory read position (records become {@link
 * MessageState#IN_FLIGHT}); acknowledging moves the durable position (records become {@link
 * MessageState#ACKED}). After a restart the cursor resumes at its last acknowledged position, so
 * unacknowledged records are delivered again: at-least-once.
 *
 * <p>Thread-safety: safe to call from any thread, but meant for one reader; concurrent readers of
 * one cursor would split its records between them.
 */
public interface WalCursor {

  /** The cursor's name. */
  String name();

  /** Offset of the first record not yet acknowledged; durable across restarts. */
  long ackedOffset();

  /** Offset of the next record {@link #poll} returns. */
  long readOffset();

  /**
   * Returns up to {@code maxRecords} durable records from the read position, never blocking on new
   * appends (use {@link WriteAheadLog#awaitDurable}). Records that failed their checksum are never
   * returned: they are skipped and reported as quarantined.
   *
   * @param maxBytes stop after the record that reaches this many body bytes (at least one record is
   *     returned when one is available)
   */
  List<WalRecord> poll(int maxRecords, long maxBytes);

  /**
   * Durably records that every record below {@code endOffset} has been handled; may delete segments
   * every cursor has passed.
   *
   * @throws IllegalArgumentException if {@code endOffset} is beyond the read position or behind the
   *     acknowledged position
   * @throws UnableToPersistCursorException if the position could not be made durable
   */
  void ack(long endOffset);

  /**
   * Durably moves a record this sink refuses permanently to the dead-letter log with the reason.
   * The record stays unacknowledged until {@link #ack} passes it.
   */
  DeadLetter deadLetter(WalRecord record, String reasonCode, String detail);

  /** Moves the read position back to the acknowledged position, to resend after a failure. */
  void rewind();

  /** Records between the acknowledged position and the end of the durable log. */
  long backlogRecords();
}

package io.auditgate.core.wal;

/**
 * Where a record stands for one sink, derived from that sink's cursor and the dead-letter log;
 * never stored separately, so it cannot disagree with them.
 */
public enum MessageState {
  /** Durable in the log, not yet handed to the sink. */
  ENQUEUED,
  /** Handed to the sink (read through its cursor) but not yet acknowledged. */
  IN_FLIGHT,
  /** Acknowledged by the sink; the cursor has durably moved past it. */
  ACKED,
  /** Rejected permanently by the sink and kept in the dead-letter log with the reason. */
  DEAD,
  /**
   * Removed before the sink acknowledged it, because the log was configured to drop the oldest
   * records when full (never the default).
   */
  DROPPED
}

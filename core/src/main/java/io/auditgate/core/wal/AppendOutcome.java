package io.auditgate.core.wal;

import java.util.concurrent.CompletableFuture;

/**
 * What {@link WriteAheadLog#append} did with a record. Refusals are expected outcomes (the log is
 * full, failed or closed) and are returned, not thrown, so that ingest can turn them into
 * backpressure.
 */
public sealed interface AppendOutcome {

  /**
   * The record was queued for the next group commit.
   *
   * @param durable completes with the record's offset once the record, and every record before it,
   *     has been written and forced to stable storage; completes exceptionally with {@link
   *     WalWriteFailedException} if the write or force failed, in which case the record must be
   *     treated as not stored
   */
  record Accepted(CompletableFuture<Long> durable) implements AppendOutcome {}

  /** The record was not queued and will never be written. */
  record Refused(Reason reason, String message) implements AppendOutcome {}

  /** Why an append was refused. */
  enum Reason {
    /** The log holds its configured maximum of bytes not yet passed by every cursor. */
    FULL,
    /** The oldest record not yet passed by every cursor is older than the configured age bound. */
    TOO_OLD,
    /** The record is larger than the configured maximum record size. */
    TOO_LARGE,
    /** A write or force failed earlier; the log accepts nothing until it is reopened. */
    FAILED,
    /** The log was closed. */
    CLOSED
  }
}

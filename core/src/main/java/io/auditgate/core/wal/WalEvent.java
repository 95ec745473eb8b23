package io.auditgate.core.wal;

/** Things the log did on its own that an operator or auditor must be able to see afterwards. */
public sealed interface WalEvent {

  /** The log was opened and its tail checked. */
  record Recovered(RecoveryReport report) implements WalEvent {}

  /**
   * Records were removed before every cursor had passed them, because the log is configured to drop
   * the oldest records when full.
   */
  record Dropped(String segment, long firstOffset, long endOffset, long bytes, String why)
      implements WalEvent {
    /** How many records were dropped. */
    public long records() {
      return endOffset - firstOffset;
    }
  }

  /**
   * Bytes in the middle of a sealed segment failed their checksum; the records they held were
   * skipped (never served) and the bytes copied to the quarantine directory.
   */
  record Quarantined(
      String segment, long fromByte, long toByte, long firstOffset, long endOffset, String file)
      implements WalEvent {}

  /** A write or force failed; the log refuses appends until it is reopened. */
  record Failed(String message) implements WalEvent {}
}

package io.auditgate.core.wal;

import java.util.Objects;

/**
 * Offsets {@code [firstOffset, endOffset)} that one cursor will never receive although it had not
 * acknowledged them: dropped by the opt-in drop-oldest policy, or quarantined because they failed
 * their checksum. The log keeps these durably so that message states stay truthful across restarts.
 */
public record LossRange(Kind kind, String cursor, long firstOffset, long endOffset, String detail) {
  public enum Kind {
    /** Removed by the drop-oldest overflow policy. */
    DROPPED,
    /** Failed the checksum in a sealed segment; bytes copied to the quarantine directory. */
    QUARANTINED
  }

  public LossRange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(cursor, "cursor");
    Objects.requireNonNull(detail, "detail");
    if (firstOffset < 0 || endOffset < firstOffset) {
      throw new IllegalArgumentException(
          "need 0 <= firstOffset <= endOffset, got [" + firstOffset + ", " + endOffset + ")");
    }
  }

  public boolean covers(String cursorName, long offset) {
    return cursor.equals(cursorName) && offset >= firstOffset && offset < endOffset;
  }

  public long records() {
    return endOffset - firstOffset;
  }
}

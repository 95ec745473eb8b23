package io.auditgate.core.wal;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One record as read back from the write-ahead log.
 *
 * @param offset the record's position in the log: 0 for the first record ever appended, then one
 *     more per record; never reused, so {@code (gateway id, offset)} identifies a message
 * @param type the application's record type, 1 to 127 (the log itself does not interpret it)
 * @param timestampMillis wall-clock time, in epoch milliseconds, at which the log wrote the record
 * @param body the record's bytes, exactly as appended; callers must not modify the array
 */
public record WalRecord(long offset, byte type, long timestampMillis, byte[] body) {
  public WalRecord {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0, got " + offset);
    }
    RecordTypes.requireValid(type);
    if (body == null) {
      throw new IllegalArgumentException("body must not be null");
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WalRecord that
        && offset == that.offset
        && type == that.type
        && timestampMillis == that.timestampMillis
        && Arrays.equals(body, that.body);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(offset) * 31 + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    String head = HexFormat.of().formatHex(body, 0, Math.min(body.length, 16));
    return "WalRecord[offset=%d, type=%d, timestampMillis=%d, %d bytes %s%s]"
        .formatted(offset, type, timestampMillis, body.length, head, body.length > 16 ? "…" : "");
  }
}

package io.auditgate.core.wal;

import java.util.Arrays;
import java.util.Objects;

/**
 * A record that was refused permanently, kept with the reason because it is evidence.
 *
 * @param sequence position in the dead-letter log (0, 1, 2, …)
 * @param source who refused it: a sink's cursor name, or an ingest listener such as {@code mqtt}
 * @param walOffset the record's offset in the write-ahead log, or -1 when it never entered it
 * @param reasonCode a stable machine-readable reason, for example {@code invalid_json}
 * @param detail a human-readable explanation
 * @param deadAtMillis when it was dead-lettered, in epoch milliseconds
 * @param recordType the record's type, or 0 when unknown
 * @param body the refused bytes
 */
public record DeadLetter(
    long sequence,
    String source,
    long walOffset,
    String reasonCode,
    String detail,
    long deadAtMillis,
    byte recordType,
    byte[] body) {
  public DeadLetter {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(reasonCode, "reasonCode");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(body, "body");
    if (walOffset < -1) {
      throw new IllegalArgumentException("walOffset must be >= -1, got " + walOffset);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DeadLetter that
        && sequence == that.sequence
        && walOffset == that.walOffset
        && deadAtMillis == that.deadAtMillis
        && recordType == that.recordType
        && source.equals(that.source)
        && reasonCode.equals(that.reasonCode)
        && detail.equals(that.detail)
        && Arrays.equals(body, that.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sequence, source, walOffset, reasonCode) * 31 + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "DeadLetter[sequence=%d, source=%s, walOffset=%d, reasonCode=%s, detail=%s, %d bytes]"
        .formatted(sequence, source, walOffset, reasonCode, detail, body.length);
  }
}

package io.auditgate.core.wal;

import java.util.List;

/**
 * What opening the log found on disk. Gateways publish it as a lifecycle event: a crash that cut a
 * record in half is audit evidence, not something to hide.
 *
 * @param segments number of segment files kept
 * @param startOffset offset of the oldest record kept
 * @param endOffset offset the next appended record will get
 * @param recordsScanned records read and verified in the segment that was open for writing
 * @param bytesTruncated bytes cut from the tail because they were torn or failed their checksum
 * @param truncations where the cuts were made, one line per cut (segment, byte position, reason)
 * @param cleanShutdown whether the previous process closed the log cleanly
 */
public record RecoveryReport(
    int segments,
    long startOffset,
    long endOffset,
    long recordsScanned,
    long bytesTruncated,
    List<String> truncations,
    boolean cleanShutdown) {
  public RecoveryReport {
    truncations = List.copyOf(truncations);
  }

  /** Records held by the log after recovery. */
  public long records() {
    return endOffset - startOffset;
  }
}

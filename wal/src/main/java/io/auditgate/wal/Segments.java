package io.auditgate.wal;

import io.auditgate.wal.internal.Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The log's segments in offset order; the last one is being written. Thread-safe: the writer adds,
 * retention removes from the front, readers look up.
 */
final class Segments {
  private final List<Segment> list = new ArrayList<>();

  Segments(List<Segment> initial) {
    list.addAll(initial);
  }

  synchronized void add(Segment segment) {
    list.add(segment);
  }

  synchronized Segment active() {
    return list.get(list.size() - 1);
  }

  synchronized Segment oldest() {
    return list.get(0);
  }

  synchronized List<Segment> snapshot() {
    return List.copyOf(list);
  }

  synchronized int count() {
    return list.size();
  }

  synchronized long startOffset() {
    return list.get(0).baseOffset();
  }

  /** The segment holding {@code offset}, if it is still held. */
  synchronized Optional<Segment> containing(long offset) {
    for (int i = list.size() - 1; i >= 0; i--) {
      if (list.get(i).baseOffset() <= offset) {
        return offset < list.get(0).baseOffset() ? Optional.empty() : Optional.of(list.get(i));
      }
    }
    return Optional.empty();
  }

  /** Offset one past the last record of a sealed segment; empty for the active one. */
  synchronized Optional<Long> endOf(Segment segment) {
    int i = list.indexOf(segment);
    return i >= 0 && i + 1 < list.size()
        ? Optional.of(list.get(i + 1).baseOffset())
        : Optional.empty();
  }

  /** Removes and returns the oldest segment if it is sealed and ends at or before {@code offset}. */
  synchronized Optional<Segment> removeOldestEndingBy(long offset) {
    if (list.size() > 1 && list.get(1).baseOffset() <= offset) {
      return Optional.of(list.remove(0));
    }
    return Optional.empty();
  }

  /** Removes and returns the oldest segment if it is sealed, whatever the cursors say. */
  synchronized Optional<Segment> removeOldestSealed() {
    return list.size() > 1 ? Optional.of(list.remove(0)) : Optional.empty();
  }

  synchronized long totalBytes() {
    long total = 0;
    for (Segment s : list) {
      total += s.sizeBytes();
    }
    return total;
  }
}

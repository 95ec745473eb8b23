package io.auditgate.wal;

import io.auditgate.wal.internal.Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The log's segments in offset order; the last one is being written. Changes (the writer adds,
 * retention removes from the front) are rare and copy the list under a lock; reads, which every
 * append and every cursor makes, take no lock and see an immutable snapshot.
 */
final class Segments {
  private volatile List<Segment> list;

  /** Bytes of every segment but the active one; the active one's size changes per batch. */
  private volatile long sealedBytes;

  Segments(List<Segment> initial) {
    publish(new ArrayList<>(initial));
  }

  private void publish(List<Segment> next) {
    long sealed = 0;
    for (int i = 0; i < next.size() - 1; i++) {
      sealed += next.get(i).sizeBytes();
    }
    sealedBytes = sealed;
    list = List.copyOf(next);
  }

  synchronized void add(Segment segment) {
    List<Segment> next = new ArrayList<>(list);
    next.add(segment);
    publish(next);
  }

  Segment active() {
    List<Segment> l = list;
    return l.get(l.size() - 1);
  }

  Segment oldest() {
    return list.get(0);
  }

  List<Segment> snapshot() {
    return list;
  }

  int count() {
    return list.size();
  }

  long startOffset() {
    return list.get(0).baseOffset();
  }

  /** The segment holding {@code offset}, if it is still held. */
  Optional<Segment> containing(long offset) {
    List<Segment> l = list;
    if (offset < l.get(0).baseOffset()) {
      return Optional.empty();
    }
    int low = 0;
    int high = l.size() - 1;
    while (low < high) { // the last segment whose base is <= offset
      int mid = (low + high + 1) >>> 1;
      if (l.get(mid).baseOffset() <= offset) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return Optional.of(l.get(low));
  }

  /** Offset one past the last record of a sealed segment; empty for the active one. */
  Optional<Long> endOf(Segment segment) {
    List<Segment> l = list;
    int i = l.indexOf(segment);
    return i >= 0 && i + 1 < l.size() ? Optional.of(l.get(i + 1).baseOffset()) : Optional.empty();
  }

  /**
   * Removes and returns the oldest segment if it is sealed and ends at or before {@code offset}.
   */
  synchronized Optional<Segment> removeOldestEndingBy(long offset) {
    if (list.size() > 1 && list.get(1).baseOffset() <= offset) {
      return Optional.of(removeOldest());
    }
    return Optional.empty();
  }

  /** Removes and returns the oldest segment if it is sealed, whatever the cursors say. */
  synchronized Optional<Segment> removeOldestSealed() {
    return list.size() > 1 ? Optional.of(removeOldest()) : Optional.empty();
  }

  private Segment removeOldest() {
    List<Segment> next = new ArrayList<>(list);
    Segment removed = next.remove(0);
    publish(next);
    return removed;
  }

  /** Bytes held on disk, without taking a lock. */
  long totalBytes() {
    return sealedBytes + active().sizeBytes();
  }
}

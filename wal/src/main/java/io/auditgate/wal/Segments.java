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
  /**
   * The list and the bytes of its sealed segments (the active one's size changes per batch and is
   * read live), published as one value: with two volatiles a reader could see the new list with the
   * old sum during a roll, and an append be refused as "full" by the transient double count.
   */
  private record View(List<Segment> list, long sealedBytes) {}

  private volatile View view;

  Segments(List<Segment> initial) {
    publish(new ArrayList<>(initial));
  }

  private void publish(List<Segment> next) {
    long sealed = 0;
    for (int i = 0; i < next.size() - 1; i++) {
      sealed += next.get(i).sizeBytes();
    }
    view = new View(List.copyOf(next), sealed);
  }

  synchronized void add(Segment segment) {
    List<Segment> next = new ArrayList<>(view.list());
    next.add(segment);
    publish(next);
  }

  Segment active() {
    List<Segment> l = view.list();
    return l.get(l.size() - 1);
  }

  Segment oldest() {
    return view.list().get(0);
  }

  List<Segment> snapshot() {
    return view.list();
  }

  int count() {
    return view.list().size();
  }

  long startOffset() {
    return view.list().get(0).baseOffset();
  }

  /** The segment holding {@code offset}, if it is still held. */
  Optional<Segment> containing(long offset) {
    List<Segment> l = view.list();
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

  /** Whether {@code segment} is still part of the log (not deleted by retention). */
  boolean holds(Segment segment) {
    return view.list().contains(segment);
  }

  /** Offset one past the last record of a sealed segment; empty for the active one. */
  Optional<Long> endOf(Segment segment) {
    List<Segment> l = view.list();
    int i = l.indexOf(segment);
    return i >= 0 && i + 1 < l.size() ? Optional.of(l.get(i + 1).baseOffset()) : Optional.empty();
  }

  /**
   * Removes and returns the oldest segment if it is sealed and ends at or before {@code offset}.
   */
  synchronized Optional<Segment> removeOldestEndingBy(long offset) {
    List<Segment> list = view.list();
    if (list.size() > 1 && list.get(1).baseOffset() <= offset) {
      return Optional.of(removeOldest());
    }
    return Optional.empty();
  }

  /** Removes and returns the oldest segment if it is sealed, whatever the cursors say. */
  synchronized Optional<Segment> removeOldestSealed() {
    return view.list().size() > 1 ? Optional.of(removeOldest()) : Optional.empty();
  }

  private Segment removeOldest() {
    List<Segment> next = new ArrayList<>(view.list());
    Segment removed = next.remove(0);
    publish(next);
    return removed;
  }

  /** Bytes held on disk, without taking a lock. */
  long totalBytes() {
    View v = view;
    return v.sealedBytes() + v.list().get(v.list().size() - 1).sizeBytes();
  }
}

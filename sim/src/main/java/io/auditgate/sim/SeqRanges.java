package io.auditgate.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of {@code seq} numbers kept as ranges, so a board's acknowledged readings cost a few bytes
 * however long the run: acknowledgements arrive almost in order and merge into one range. This is
 * what makes reconciliation exact: "acknowledged" is a set to compare with what was stored, not
 * only a count.
 *
 * <p>Thread-safe (acknowledgements arrive on the client's threads).
 */
public final class SeqRanges {
  /** Range start → end (inclusive), disjoint and not adjacent. */
  private final TreeMap<Long, Long> ranges = new TreeMap<>();

  private long count;

  /** Adds {@code seq}; returns false if it was already in the set. */
  public synchronized boolean add(long seq) {
    Map.Entry<Long, Long> below = ranges.floorEntry(seq);
    if (below != null && below.getValue() >= seq) {
      return false;
    }
    long start = seq;
    long end = seq;
    if (below != null && below.getValue() == seq - 1) {
      start = below.getKey();
    }
    Long next = ranges.get(seq + 1);
    if (next != null) {
      end = next;
      ranges.remove(seq + 1);
    }
    ranges.put(start, end);
    count++;
    return true;
  }

  public synchronized boolean contains(long seq) {
    Map.Entry<Long, Long> below = ranges.floorEntry(seq);
    return below != null && below.getValue() >= seq;
  }

  /** How many numbers the set holds. */
  public synchronized long count() {
    return count;
  }

  /** The ranges in ascending order, each as {@code {first, last}}. */
  public synchronized List<long[]> ranges() {
    List<long[]> copy = new ArrayList<>(ranges.size());
    ranges.forEach((start, end) -> copy.add(new long[] {start, end}));
    return copy;
  }

  @Override
  public synchronized String toString() {
    StringBuilder text = new StringBuilder("[");
    ranges.forEach(
        (start, end) -> {
          if (text.length() > 1) {
            text.append(", ");
          }
          text.append(start.equals(end) ? start.toString() : start + "-" + end);
        });
    return text.append(']').toString();
  }
}

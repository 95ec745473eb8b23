package io.auditgate.ingest.pipeline;

import io.auditgate.ingest.pipeline.SeqTracker.Observation;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One device's sequence state: the highest number seen and a ring of bits for the {@code window}
 * numbers at and below it, so a repeat can be told from a late arrival. Not thread-safe: {@link
 * SeqTracker} guards it.
 */
final class SequenceState {
  /**
   * How far below the highest seq a 0 or 1 must fall to count as a restart. Closer drops could be
   * MQTT QoS 1 redeliveries, which only resend what was in flight, and clients and brokers keep
   * about 20 in flight (Mosquitto's max_inflight_messages default); 32 leaves a margin.
   */
  static final long RESTART_MIN_DROP = 32;

  private final long[] seen;
  private final int window;
  private long highest = -1;
  private long messages;
  private long gaps;
  private long missing;
  private long duplicates;
  private long reordered;
  private long restarts;
  private long beyondWindow;
  private Duration lastSkew;
  private Duration maxAbsSkew;
  private Instant lastReceivedAt;

  SequenceState(int window) {
    this.window = window;
    this.seen = new long[window / 64];
  }

  Observation observe(OptionalLong seq, Optional<Instant> deviceTime, Instant receivedAt) {
    messages++;
    lastReceivedAt = receivedAt;
    deviceTime.ifPresent(device -> skew(Duration.between(device, receivedAt)));
    return seq.isPresent() ? sequence(seq.getAsLong()) : Observation.NO_SEQ;
  }

  private void skew(Duration skew) {
    lastSkew = skew;
    if (maxAbsSkew == null || skew.abs().compareTo(maxAbsSkew) > 0) {
      maxAbsSkew = skew.abs();
    }
  }

  private Observation sequence(long seq) {
    if (highest < 0) {
      highest = seq;
      mark(seq);
      return Observation.FIRST;
    }
    if (seq > highest) {
      long jump = seq - highest;
      advanceTo(seq);
      if (jump == 1) {
        return Observation.NEXT;
      }
      gaps++;
      missing = saturatedAdd(missing, jump - 1);
      return Observation.GAP;
    }
    if (seq <= 1 && highest - seq >= RESTART_MIN_DROP) {
      Arrays.fill(seen, 0);
      highest = seq;
      mark(seq);
      restarts++;
      return Observation.RESTART;
    }
    if (highest - seq >= window) {
      beyondWindow++;
      return Observation.BEYOND_WINDOW;
    }
    if (isMarked(seq)) {
      duplicates++;
      return Observation.DUPLICATE;
    }
    mark(seq);
    reordered++;
    missing = Math.max(0, missing - 1);
    return Observation.REORDERED;
  }

  /** Moves the window up to {@code seq}: the numbers it passes over are not seen yet. */
  private void advanceTo(long seq) {
    if (seq - highest >= window) {
      Arrays.fill(seen, 0);
    } else {
      for (long s = highest + 1; s < seq; s++) {
        clear(s);
      }
    }
    highest = seq;
    mark(seq);
  }

  private int bit(long seq) {
    return (int) (seq & (window - 1));
  }

  private void mark(long seq) {
    seen[bit(seq) >>> 6] |= mask(seq);
  }

  private void clear(long seq) {
    seen[bit(seq) >>> 6] &= ~mask(seq);
  }

  private boolean isMarked(long seq) {
    return (seen[bit(seq) >>> 6] & mask(seq)) != 0;
  }

  private long mask(long seq) {
    return 1L << (bit(seq) & 63);
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  DeviceSequence snapshot(String deviceId) {
    return new DeviceSequence(
        deviceId,
        messages,
        highest < 0 ? OptionalLong.empty() : OptionalLong.of(highest),
        gaps,
        missing,
        duplicates,
        reordered,
        restarts,
        beyondWindow,
        Optional.ofNullable(lastSkew),
        Optional.ofNullable(maxAbsSkew),
        lastReceivedAt);
  }
}

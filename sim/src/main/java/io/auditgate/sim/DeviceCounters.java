package io.auditgate.sim;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** One board's live counters; {@link DeviceReport} is their snapshot. Thread-safe. */
final class DeviceCounters {
  private static final int KINDS = MessageKind.values().length;

  private final AtomicLongArray sent = new AtomicLongArray(KINDS);
  private final AtomicLongArray acknowledged = new AtomicLongArray(KINDS);
  private final AtomicLongArray failed = new AtomicLongArray(KINDS);
  private final AtomicLongArray skipped = new AtomicLongArray(SkipReason.values().length);
  final LongAdder scheduled = new LongAdder();
  final LongAdder connects = new LongAdder();
  final LongAdder connectFailures = new LongAdder();
  final LongAdder connectionsLost = new LongAdder();
  final SeqRanges acknowledgedSeqs = new SeqRanges();

  void sent(MessageKind kind) {
    sent.incrementAndGet(kind.ordinal());
  }

  void acknowledged(MessageKind kind) {
    acknowledged.incrementAndGet(kind.ordinal());
  }

  void failed(MessageKind kind) {
    failed.incrementAndGet(kind.ordinal());
  }

  void skipped(SkipReason reason) {
    skipped.incrementAndGet(reason.ordinal());
  }

  /** Totals over every kind: sent, acknowledged, failed. */
  long[] totals() {
    long[] totals = new long[3];
    for (int i = 0; i < KINDS; i++) {
      totals[0] += sent.get(i);
      totals[1] += acknowledged.get(i);
      totals[2] += failed.get(i);
    }
    return totals;
  }

  long skippedTotal() {
    long total = 0;
    for (int i = 0; i < skipped.length(); i++) {
      total += skipped.get(i);
    }
    return total;
  }

  /** The snapshot; whatever has no answer (yet) counts as unconfirmed. */
  DeviceReport report(String deviceId) {
    Map<MessageKind, Counts> byKind = new EnumMap<>(MessageKind.class);
    for (MessageKind kind : MessageKind.values()) {
      int i = kind.ordinal();
      // Answers first, then what was sent: an answer that lands in between cannot make
      // unconfirmed negative.
      long acked = acknowledged.get(i);
      long failures = failed.get(i);
      long sentCount = sent.get(i);
      byKind.put(
          kind, new Counts(sentCount, acked, failures, Math.max(0, sentCount - acked - failures)));
    }
    Map<SkipReason, Long> reasons = new EnumMap<>(SkipReason.class);
    for (SkipReason reason : SkipReason.values()) {
      reasons.put(reason, skipped.get(reason.ordinal()));
    }
    return new DeviceReport(
        deviceId,
        scheduled.sum(),
        byKind,
        reasons,
        connects.sum(),
        connectFailures.sum(),
        connectionsLost.sum(),
        acknowledgedSeqs);
  }
}

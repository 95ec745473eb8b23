package io.auditgate.ingest.pipeline;

import io.auditgate.core.ingest.IngestResult.Reason;
import io.auditgate.core.metrics.Histogram;
import io.auditgate.core.metrics.HistogramSnapshot;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * The pipeline's counters. Thread-safe and lock-free: every transport thread and the log's
 * completer thread count at once, so each counter is a {@link LongAdder}.
 */
public final class IngestMetrics {
  private final LongAdder stored = new LongAdder();
  private final LongAdder busy = new LongAdder();
  private final LongAdder receivedBytes = new LongAdder();
  private final LongAdder storedBytes = new LongAdder();
  private final Map<Reason, LongAdder> rejected = new EnumMap<>(Reason.class);
  private final Histogram storeMicros = new Histogram();

  public IngestMetrics() {
    for (Reason reason : Reason.values()) {
      rejected.put(reason, new LongAdder());
    }
  }

  void received(int bodyBytes) {
    receivedBytes.add(bodyBytes);
  }

  void stored(int envelopeBytes, long micros) {
    stored.increment();
    storedBytes.add(envelopeBytes);
    storeMicros.record(micros);
  }

  void rejected(Reason reason) {
    rejected.get(reason).increment();
  }

  void busy() {
    busy.increment();
  }

  /** The counters now; each is exact, the set is not one atomic instant. */
  public Snapshot snapshot() {
    Map<Reason, Long> rejections = new EnumMap<>(Reason.class);
    rejected.forEach((reason, count) -> rejections.put(reason, count.sum()));
    return new Snapshot(
        stored.sum(),
        rejections,
        busy.sum(),
        receivedBytes.sum(),
        storedBytes.sum(),
        storeMicros.snapshot());
  }

  /**
   * The pipeline's counters since it was created.
   *
   * @param stored messages made durable ({@code Stored})
   * @param rejected messages refused and dead-lettered, by reason; every reason is present
   * @param busy messages not stored because the log could not take them ({@code Busy})
   * @param receivedBytes body bytes handed to the pipeline, whatever became of them
   * @param storedBytes envelope bytes made durable
   * @param storeMicros from a transport receiving a message to the message being durable
   */
  public record Snapshot(
      long stored,
      Map<Reason, Long> rejected,
      long busy,
      long receivedBytes,
      long storedBytes,
      HistogramSnapshot storeMicros) {
    public Snapshot {
      Objects.requireNonNull(storeMicros, "storeMicros");
      EnumMap<Reason, Long> copy = new EnumMap<>(Reason.class);
      copy.putAll(rejected);
      for (Reason reason : Reason.values()) {
        copy.putIfAbsent(reason, 0L);
      }
      rejected = Collections.unmodifiableMap(copy);
      if (stored < 0 || busy < 0 || receivedBytes < 0 || storedBytes < 0) {
        throw new IllegalArgumentException("counters cannot be negative");
      }
    }

    /** Messages refused for any reason. */
    public long rejectedTotal() {
      return rejected.values().stream().mapToLong(Long::longValue).sum();
    }

    public long rejected(Reason reason) {
      return rejected.get(reason);
    }
  }
}

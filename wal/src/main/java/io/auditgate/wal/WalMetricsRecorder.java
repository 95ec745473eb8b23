package io.auditgate.wal;

import io.auditgate.core.metrics.Histogram;
import java.util.concurrent.atomic.LongAdder;

/** The log's counters and histograms; thread-safe, allocation-free on the hot path. */
final class WalMetricsRecorder {
  final LongAdder appendedRecords = new LongAdder();
  final LongAdder appendedBytes = new LongAdder();
  final LongAdder batches = new LongAdder();
  final LongAdder refusedAppends = new LongAdder();
  final LongAdder droppedRecords = new LongAdder();
  final LongAdder quarantinedRecords = new LongAdder();
  final LongAdder deadLetters = new LongAdder();
  final Histogram forceMicros = new Histogram();
  final Histogram batchRecords = new Histogram();

  void forced(long micros) {
    forceMicros.record(micros);
  }

  void batch(int records, long bodyBytes) {
    batches.increment();
    batchRecords.record(records);
    appendedRecords.add(records);
    appendedBytes.add(bodyBytes);
  }
}

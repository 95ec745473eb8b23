package io.auditgate.ingest.bridge;

import java.util.concurrent.atomic.LongAdder;

/** The bridge's live counters; {@link BridgeMetrics} is their snapshot. Thread-safe. */
final class BridgeCounters {
  final LongAdder received = new LongAdder();
  final LongAdder stored = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder busy = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder deferred = new LongAdder();
  final LongAdder pauses = new LongAdder();
  final LongAdder reconnects = new LongAdder();
  final LongAdder connectFailures = new LongAdder();

  BridgeMetrics snapshot(boolean connected, int receiveMaximum) {
    return new BridgeMetrics(
        received.sum(),
        stored.sum(),
        rejected.sum(),
        busy.sum(),
        failed.sum(),
        deferred.sum(),
        pauses.sum(),
        reconnects.sum(),
        connectFailures.sum(),
        connected,
        receiveMaximum);
  }
}

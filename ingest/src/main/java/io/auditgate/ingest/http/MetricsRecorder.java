package io.auditgate.ingest.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/** The listener's live counters; written from every event loop, read by {@link #snapshot()}. */
final class MetricsRecorder {
  // Status codes are a small fixed set, so the map stays bounded.
  private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
  private final LongAdder responses = new LongAdder();
  private final LongAdder bodyBytes = new LongAdder();
  private final LongAdder stored = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder busy = new LongAdder();
  private final LongAdder rateLimited = new LongAdder();
  private final LongAdder authFailures = new LongAdder();
  private final AtomicLong openConnections = new AtomicLong();
  private final LongAdder refusedConnections = new LongAdder();
  private final LongAdder tlsHandshakeFailures = new LongAdder();
  private final LongAdder certificateEventsSent = new LongAdder();
  private final LongAdder certificateEventsSkipped = new LongAdder();
  private final LongAdder certificateEventsLost = new LongAdder();

  void responded(int status) {
    responses.increment();
    byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
    if (status == 401) {
      authFailures.increment();
    } else if (status == 429) {
      rateLimited.increment();
    }
  }

  void bodyBytes(long n) {
    bodyBytes.add(n);
  }

  void stored() {
    stored.increment();
  }

  void rejected() {
    rejected.increment();
  }

  void busy() {
    busy.increment();
  }

  /** Takes a connection slot; false (and counted as refused) when all {@code max} are taken. */
  boolean tryOpenConnection(int max) {
    while (true) {
      long open = openConnections.get();
      if (open >= max) {
        refusedConnections.increment();
        return false;
      }
      if (openConnections.compareAndSet(open, open + 1)) {
        return true;
      }
    }
  }

  void connectionClosed() {
    openConnections.decrementAndGet();
  }

  void tlsHandshakeFailed() {
    tlsHandshakeFailures.increment();
  }

  void certificateEventSent() {
    certificateEventsSent.increment();
  }

  void certificateEventSkipped() {
    certificateEventsSkipped.increment();
  }

  void certificateEventLost() {
    certificateEventsLost.increment();
  }

  HttpIngestMetrics snapshot() {
    return new HttpIngestMetrics(
        responses.sum(),
        byStatus.entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sum())),
        bodyBytes.sum(),
        stored.sum(),
        rejected.sum(),
        busy.sum(),
        rateLimited.sum(),
        authFailures.sum(),
        openConnections.get(),
        refusedConnections.sum(),
        tlsHandshakeFailures.sum(),
        certificateEventsSent.sum(),
        certificateEventsSkipped.sum(),
        certificateEventsLost.sum());
  }
}

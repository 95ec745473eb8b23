package io.auditgate.ingest.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The listener's live counters; every event loop writes to them, {@link #snapshot} reads. */
final class MetricsRecorder {
  private final AtomicLong connectionsOpen = new AtomicLong();
  private final AtomicLong clientsConnected = new AtomicLong();
  private final LongAdder connectionsTotal = new LongAdder();
  private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> closed = new ConcurrentHashMap<>();
  private final LongAdder[] publishes = {new LongAdder(), new LongAdder(), new LongAdder()};
  private final LongAdder duplicatesQos2 = new LongAdder();
  private final LongAdder acksSent = new LongAdder();
  private final Map<String, LongAdder> rejects = new ConcurrentHashMap<>();
  private final LongAdder violations = new LongAdder();
  private final LongAdder busyEvents = new LongAdder();
  private final LongAdder bytesIn = new LongAdder();
  private final LongAdder willsPublished = new LongAdder();
  private final LongAdder connectivityEventsLost = new LongAdder();
  private final LongAdder commandsSent = new LongAdder();
  private final LongAdder unexpectedErrors = new LongAdder();

  void connectionOpened() {
    connectionsOpen.incrementAndGet();
    connectionsTotal.increment();
  }

  void connectionClosed() {
    connectionsOpen.decrementAndGet();
  }

  void clientConnected() {
    clientsConnected.incrementAndGet();
  }

  void clientDisconnected(CloseReason reason) {
    clientsConnected.decrementAndGet();
    count(closed, reason.label());
  }

  void refused(ConnectRefusal reason) {
    count(refused, reason.label());
  }

  void publish(MqttQoS qos) {
    publishes[Math.min(qos.value(), 2)].increment();
  }

  void duplicateQos2() {
    duplicatesQos2.increment();
  }

  void ackSent() {
    acksSent.increment();
  }

  void rejected(String reason) {
    count(rejects, reason);
  }

  void violation() {
    violations.increment();
  }

  void busy() {
    busyEvents.increment();
  }

  void bytesIn(int bytes) {
    bytesIn.add(bytes);
  }

  void willPublished() {
    willsPublished.increment();
  }

  void connectivityEventLost() {
    connectivityEventsLost.increment();
  }

  void commandSent() {
    commandsSent.increment();
  }

  void unexpectedError() {
    unexpectedErrors.increment();
  }

  MqttMetrics snapshot() {
    return new MqttMetrics(
        connectionsOpen.get(),
        clientsConnected.get(),
        connectionsTotal.sum(),
        sums(refused),
        sums(closed),
        publishes[0].sum(),
        publishes[1].sum(),
        publishes[2].sum(),
        duplicatesQos2.sum(),
        acksSent.sum(),
        sums(rejects),
        violations.sum(),
        busyEvents.sum(),
        bytesIn.sum(),
        willsPublished.sum(),
        connectivityEventsLost.sum(),
        commandsSent.sum(),
        unexpectedErrors.sum());
  }

  private static void count(Map<String, LongAdder> counters, String label) {
    counters.computeIfAbsent(label, l -> new LongAdder()).increment();
  }

  private static Map<String, Long> sums(Map<String, LongAdder> counters) {
    Map<String, Long> sums = new TreeMap<>();
    counters.forEach((label, adder) -> sums.put(label, adder.sum()));
    return sums;
  }
}

package io.auditgate.sim;

import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One simulated board: its sensor model, its faults, its {@link Link} (MQTT or HTTPS) and its
 * counters. Like a real device it reconnects with backoff after a refused or lost connection, until
 * the run finishes.
 *
 * <p>Thread-safety: safe from any thread; readings and the start of a storm exclude each other, so
 * no reading slips out between "stop publishing" and "disconnect".
 */
final class SimulatedDevice {
  private static final Duration FIRST_RETRY = Duration.ofMillis(500);
  private static final Duration LAST_RETRY = Duration.ofSeconds(10);

  private final String id;
  private final String wrongTarget;
  private final Board board;
  private final DeviceFaults faults;
  private final DeviceCounters counters = new DeviceCounters();
  private final FleetContext fleet;
  private final Link link;
  private final AtomicBoolean connected = new AtomicBoolean();
  private final AtomicBoolean connecting = new AtomicBoolean();
  private final AtomicInteger retries = new AtomicInteger();
  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

  /**
   * @param wrongTarget the device id the board sends as when misconfigured ({@link
   *     SimulationPlan.Fault.WrongTopic})
   * @param linkFor builds this board's link, given the listener an MQTT client must report
   *     disconnections to
   */
  SimulatedDevice(
      String id,
      String wrongTarget,
      Board board,
      DeviceFaults faults,
      FleetContext fleet,
      Function<DisconnectListener, Link> linkFor) {
    this.id = id;
    this.wrongTarget = wrongTarget;
    this.board = board;
    this.faults = faults;
    this.fleet = fleet;
    this.link = linkFor.apply(this::disconnected);
  }

  /** Receives an MQTT client's disconnections (including failed connection attempts). */
  @FunctionalInterface
  interface DisconnectListener {
    void disconnected(MqttClientDisconnectedContext context);
  }

  String id() {
    return id;
  }

  boolean isConnected() {
    return connected.get();
  }

  DeviceCounters counters() {
    return counters;
  }

  /**
   * One connection attempt; on failure the board retries by itself with backoff.
   *
   * @return completes (never exceptionally) when the attempt succeeded or failed
   */
  CompletableFuture<Void> connect() {
    if (fleet.isFinishing() || !connecting.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(null);
    }
    return link.connect()
        .handle(
            (connAck, error) -> {
              connecting.set(false);
              if (error == null) {
                connected.set(true);
                retries.set(0);
                counters.connects.increment();
              } else {
                counters.connectFailures.increment();
                retryLater();
              }
              return null;
            });
  }

  /**
   * Disconnects and reconnects at once, as every board does in a reconnect storm. The board stops
   * publishing first and lets its unanswered publishes finish, so that the storm itself loses
   * nothing and the run still reconciles exactly; readings due meanwhile are skipped.
   */
  CompletableFuture<Void> storm() {
    CompletableFuture<?>[] unanswered;
    synchronized (this) {
      if (!connected.getAndSet(false)) {
        return CompletableFuture.completedFuture(null);
      }
      unanswered = pending.toArray(new CompletableFuture<?>[0]);
    }
    return CompletableFuture.allOf(unanswered)
        .handle((ok, error) -> null)
        .thenCompose(ignored -> link.disconnect())
        .thenCompose(ignored -> connect());
  }

  /** Disconnects for good at the end of the run. */
  CompletableFuture<Void> disconnect() {
    if (!connected.get()) {
      return CompletableFuture.completedFuture(null);
    }
    return link.disconnect();
  }

  /** The reading due {@code elapsed} after the start of publishing. */
  synchronized void tick(Duration elapsed) {
    counters.scheduled.increment();
    if (faults.staleAt(elapsed)) {
      counters.skipped(SkipReason.STALE);
      return;
    }
    if (!connected.get()) {
      counters.skipped(SkipReason.DISCONNECTED);
      return;
    }
    Instant now = fleet.clock.instant();
    Reading reading = board.next(now.plus(faults.skew()));
    MessageKind kind;
    String target = id;
    byte[] body;
    if (faults.takeMalformed(elapsed)) {
      kind = MessageKind.MALFORMED;
      body = TelemetryJson.malformed(reading);
    } else {
      body = TelemetryJson.encode(reading);
      if (faults.takeWrongTopic(elapsed)) {
        kind = MessageKind.WRONG_TOPIC;
        target = wrongTarget;
      } else {
        kind = faults.skew().isZero() ? MessageKind.NORMAL : MessageKind.CLOCK_SKEW;
      }
    }
    publish(kind, target, body, reading.seq());
    if (faults.takeDuplicate(elapsed)) {
      publish(MessageKind.DUPLICATE, target, body, reading.seq());
    }
  }

  private void publish(MessageKind kind, String target, byte[] body, long seq) {
    counters.sent(kind);
    fleet.inFlight.incrementAndGet();
    CompletableFuture<Link.Outcome> answer = link.send(target, body);
    pending.add(answer);
    answer.whenComplete(
        (outcome, error) -> {
          try {
            if (error != null || outcome == Link.Outcome.FAILED) {
              counters.failed(kind);
            } else if (outcome == Link.Outcome.ACKNOWLEDGED) {
              counters.acknowledged(kind);
              if (kind.storedAsTelemetry()) {
                counters.acknowledgedSeqs.add(seq);
              }
            }
          } finally {
            pending.remove(answer);
            fleet.inFlight.decrementAndGet();
          }
        });
  }

  private void disconnected(MqttClientDisconnectedContext context) {
    // Failed attempts are handled where the attempt completes; this is about live connections.
    if (!connected.getAndSet(false)) {
      return;
    }
    if (context.getSource() != MqttDisconnectSource.USER) {
      counters.connectionsLost.increment();
      retryLater();
    }
  }

  private void retryLater() {
    if (fleet.isFinishing()) {
      return;
    }
    int attempt = retries.getAndIncrement();
    long base = Math.min(LAST_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(attempt, 10));
    long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    try {
      fleet.scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException runIsOver) {
      // The scheduler stops with the run; there is nothing left to reconnect for.
    }
  }
}

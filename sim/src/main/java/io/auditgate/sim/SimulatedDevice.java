package io.auditgate.sim;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
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
 * One simulated board: its sensor model, its faults, its MQTT client and its counters. Like a real
 * device it reconnects with backoff after a refused or lost connection, until the run finishes.
 *
 * <p>Thread-safety: safe from any thread; readings and the start of a storm exclude each other, so
 * no reading slips out between "stop publishing" and "disconnect".
 */
final class SimulatedDevice {
  private static final Duration FIRST_RETRY = Duration.ofMillis(500);
  private static final Duration LAST_RETRY = Duration.ofSeconds(10);

  private final String id;
  private final String ownTopic;
  private final String wrongTopic;
  private final Board board;
  private final DeviceFaults faults;
  private final DeviceCounters counters = new DeviceCounters();
  private final FleetContext fleet;
  private final MqttQos qos;
  private final Mqtt5Connect connect;
  private final Mqtt5AsyncClient client;
  private final AtomicBoolean connected = new AtomicBoolean();
  private final AtomicBoolean connecting = new AtomicBoolean();
  private final AtomicInteger retries = new AtomicInteger();
  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

  /**
   * @param clientFor builds this board's MQTT client, given the listener it must report
   *     disconnections to
   */
  SimulatedDevice(
      String id,
      String wrongTopic,
      Board board,
      DeviceFaults faults,
      FleetContext fleet,
      int qos,
      Mqtt5Connect connect,
      Function<DisconnectListener, Mqtt5AsyncClient> clientFor) {
    this.id = id;
    this.ownTopic = SimulationPlan.telemetryTopic(id);
    this.wrongTopic = wrongTopic;
    this.board = board;
    this.faults = faults;
    this.fleet = fleet;
    this.qos = qos == 1 ? MqttQos.AT_LEAST_ONCE : MqttQos.AT_MOST_ONCE;
    this.connect = connect;
    this.client = clientFor.apply(this::disconnected);
  }

  /** Receives the client's disconnections (including failed connection attempts). */
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
    return client
        .connect(connect)
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
        .thenCompose(ignored -> client.disconnect().handle((ok, error) -> null))
        .thenCompose(ignored -> connect());
  }

  /** Disconnects for good at the end of the run. */
  CompletableFuture<Void> disconnect() {
    if (!connected.get()) {
      return CompletableFuture.completedFuture(null);
    }
    return client.disconnect().handle((ok, error) -> null);
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
    String topic = ownTopic;
    byte[] body;
    if (faults.takeMalformed(elapsed)) {
      kind = MessageKind.MALFORMED;
      body = TelemetryJson.malformed(reading);
    } else {
      body = TelemetryJson.encode(reading);
      if (faults.takeWrongTopic(elapsed)) {
        kind = MessageKind.WRONG_TOPIC;
        topic = wrongTopic;
      } else {
        kind = faults.skew().isZero() ? MessageKind.NORMAL : MessageKind.CLOCK_SKEW;
      }
    }
    publish(kind, topic, body);
    if (faults.takeDuplicate(elapsed)) {
      publish(MessageKind.DUPLICATE, topic, body);
    }
  }

  private void publish(MessageKind kind, String topic, byte[] body) {
    counters.sent(kind);
    fleet.inFlight.incrementAndGet();
    CompletableFuture<Mqtt5PublishResult> answer =
        client.publish(Mqtt5Publish.builder().topic(topic).qos(qos).payload(body).build());
    pending.add(answer);
    answer.whenComplete(
        (result, error) -> {
          try {
            if (error != null || result.getError().isPresent() || refused(result)) {
              counters.failed(kind);
            } else if (qos == MqttQos.AT_LEAST_ONCE) {
              counters.acknowledged(kind);
            }
          } finally {
            pending.remove(answer);
            fleet.inFlight.decrementAndGet();
          }
        });
  }

  private static boolean refused(Mqtt5PublishResult result) {
    return result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1
        && qos1.getPubAck().getReasonCode().isError();
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

package io.auditgate.ingest.bridge;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import io.auditgate.core.config.BridgeConfig;
import io.auditgate.core.ingest.TelemetryIngest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridge mode: subscribes to the device topics on a broker the site already runs and feeds every
 * message through {@link TelemetryIngest} as {@link
 * io.auditgate.core.ingest.IngestRequest.Transport#BRIDGE}, with a {@link
 * io.auditgate.core.ingest.DeviceIdentity.Method#BRIDGED} identity taken from the topic's device-id
 * level.
 *
 * <p>Delivery: MQTT 5, QoS 1, a persistent session (clean start false, the configured session
 * expiry) and manual acknowledgement. A message is acknowledged to the broker only once ingest
 * answered {@code Stored} (durable in the log) or {@code Rejected} (durable in the dead-letter
 * log). On {@code Busy}, or an unexpected ingest failure, nothing more is acknowledged: the bridge
 * disconnects, waits at least the {@code retryAfter} ingest asked for, and reconnects; the broker
 * then delivers every unacknowledged message again, and queues new ones meanwhile. The announced
 * receive maximum bounds what is in flight; a broker that overruns it (Mosquitto 2.0 does, right
 * after a session resumes with messages in flight) makes the client drop the connection, and the
 * bridge then doubles what it announces, up to 65535, rather than fail the same way on every
 * reconnect. Lost connections are retried with exponential backoff and jitter, resuming the same
 * session, so nothing the broker accepted for the bridge is lost as long as each outage is shorter
 * than the session expiry and fits the broker's queue (Mosquitto's {@code max_queued_messages},
 * 1000 by default). Delivery is at least once: a message stored just before a disconnect is
 * delivered and stored again; the {@code (device_id, seq)} idempotency key removes such duplicates
 * downstream.
 *
 * <p>Thread-safety: all methods may be called from any thread. Nothing blocks except {@link
 * #close()}, which waits a few seconds at most for the DISCONNECT.
 */
public final class BrokerBridge implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BrokerBridge.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final int MAX_RECEIVE_MAXIMUM = 65535;

  private final BridgeConfig config;
  private final IngestForwarder forwarder;
  private final BridgeCounters counters = new BridgeCounters();
  private final ReconnectBackoff backoff;
  private final Optional<MqttClientSslConfig> ssl;
  private final Mqtt5Subscribe subscribe;
  private final ScheduledExecutorService scheduler;
  private final CompletableFuture<Void> firstSubscribed = new CompletableFuture<>();

  private final Object lock = new Object();
  // Guarded by lock.
  private BridgeConnection current;
  private long generations;
  private boolean started;
  private boolean closed;
  private boolean everSubscribed;
  private int failedAttempts;
  private int busyStreak;
  private int receiveMaximum;
  private ScheduledFuture<?> pendingConnect;

  /**
   * Prepares the bridge; nothing connects before {@link #start()}.
   *
   * @param clock stamps {@code receivedAt} on every request
   * @throws UnableToLoadBrokerTrustException if TLS is on and the trust file cannot be loaded
   */
  public BrokerBridge(BridgeConfig config, TelemetryIngest ingest, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(clock, "clock");
    this.forwarder =
        new IngestForwarder(
            ingest,
            new DeviceTopics(config.topicFilters()),
            clock,
            counters,
            config.reconnectInitialDelay(),
            this::ingestAdvanced);
    this.backoff =
        new ReconnectBackoff(
            config.reconnectInitialDelay(),
            config.reconnectMaxDelay(),
            () -> ThreadLocalRandom.current().nextDouble());
    this.ssl = config.tls() ? Optional.of(sslConfig(config)) : Optional.empty();
    this.receiveMaximum = config.receiveMaximum();
    this.subscribe = subscribeMessage(config);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "auditgate-bridge-" + config.clientId());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts connecting in the background and keeps the bridge connected until {@link #close()}.
   *
   * @return completes when the bridge is first connected and subscribed; it keeps retrying while
   *     the broker is unreachable, so this completes exceptionally only if the bridge is closed
   *     first
   * @throws IllegalStateException if called twice or after {@link #close()}
   */
  public CompletableFuture<Void> start() {
    synchronized (lock) {
      if (started || closed) {
        throw new IllegalStateException("a bridge starts once");
      }
      started = true;
    }
    log.info(
        "bridge to {}:{} (tls {}) as {} subscribing to {}",
        config.host(),
        config.port(),
        config.tls(),
        config.clientId(),
        config.topicFilters());
    scheduler.execute(this::connectNow);
    return firstSubscribed.copy();
  }

  /** The counters so far, and whether the bridge is connected and subscribed now. */
  public BridgeMetrics metrics() {
    boolean connected;
    int announced;
    synchronized (lock) {
      connected = current != null && current.wasSubscribed() && !current.hasEnded();
      announced = receiveMaximum;
    }
    return counters.snapshot(connected, announced);
  }

  /**
   * Stops reconnecting and disconnects, keeping the session on the broker: messages published while
   * the gateway is down wait there for the next start. Idempotent.
   */
  @Override
  public void close() {
    BridgeConnection last;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (pendingConnect != null) {
        pendingConnect.cancel(false);
      }
      last = current;
    }
    if (last != null) {
      disconnectQuietly(last);
    }
    scheduler.shutdownNow();
    firstSubscribed.completeExceptionally(new IllegalStateException("the bridge was closed"));
    log.info("bridge {} closed: {}", config.clientId(), metrics());
  }

  private void connectNow() {
    BridgeConnection connection;
    Mqtt5Connect connect;
    synchronized (lock) {
      pendingConnect = null;
      if (closed) {
        return;
      }
      connection = newConnection(++generations);
      connect = connectMessage(config, receiveMaximum);
      current = connection;
    }
    Mqtt5AsyncClient client = connection.client();
    client
        .connect(connect)
        .thenCompose(connAck -> client.subscribe(subscribe).thenApply(subAck -> connAck))
        .whenComplete(
            (connAck, error) -> {
              if (error != null) {
                log.warn(
                    "bridge could not connect and subscribe to {}:{}: {}",
                    config.host(),
                    config.port(),
                    error.toString());
                // Ends the connection if it got as far as CONNACK; the disconnected listener
                // schedules the next attempt either way.
                client.disconnect();
              } else {
                subscribed(connection, connAck);
              }
            });
  }

  private BridgeConnection newConnection(long generation) {
    BridgeConnection[] self = new BridgeConnection[1];
    Mqtt5ClientBuilder builder =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(config.clientId())
            .serverHost(config.host())
            .serverPort(config.port())
            .addDisconnectedListener(context -> ended(self[0], context));
    ssl.ifPresent(builder::sslConfig);
    Mqtt5AsyncClient client = builder.buildAsync();
    BridgeConnection connection = new BridgeConnection(generation, client);
    self[0] = connection;
    // Registered before CONNECT: a resumed session delivers queued messages right after CONNACK,
    // before any SUBSCRIBE could register a callback.
    client.publishes(
        MqttGlobalPublishFilter.ALL, publish -> forwarder.forward(connection, publish), true);
    return connection;
  }

  private void subscribed(BridgeConnection connection, Mqtt5ConnAck connAck) {
    synchronized (lock) {
      if (closed || connection != current || connection.hasEnded()) {
        // Connected after close() or after it was given up: nobody else would ever close it.
        connection.client().disconnect();
        return;
      }
      connection.markSubscribed();
      failedAttempts = 0;
      if (everSubscribed) {
        counters.reconnects.increment();
      }
      everSubscribed = true;
    }
    log.info(
        "bridge connected to {}:{} as {} (connection {}, session {})",
        config.host(),
        config.port(),
        config.clientId(),
        connection.generation(),
        connAck.isSessionPresent() ? "resumed" : "new");
    firstSubscribed.complete(null);
  }

  private void ended(BridgeConnection connection, MqttClientDisconnectedContext context) {
    if (connection == null || !connection.markEnded()) {
      return;
    }
    Duration delay;
    synchronized (lock) {
      if (current == connection) {
        current = null;
      }
      // A pause can begin before SUBACK (a resumed session delivers at once): not a failure.
      boolean failed = !connection.wasSubscribed() && !connection.isPausing();
      if (failed) {
        counters.connectFailures.increment();
      }
      if (closed) {
        return;
      }
      if (brokerExceededReceiveMaximum(context.getCause())
          && receiveMaximum < MAX_RECEIVE_MAXIMUM) {
        int widened = (int) Math.min(MAX_RECEIVE_MAXIMUM, 2L * receiveMaximum);
        log.warn(
            "the broker sent more unacknowledged messages than the receive maximum {} allowed (as"
                + " Mosquitto 2.0 does right after a session resumes); announcing {} from now on",
            receiveMaximum,
            widened);
        receiveMaximum = widened;
      }
      if (connection.isPausing()) {
        delay = max(connection.pauseAtLeast(), backoff.delay(busyStreak));
        busyStreak++;
      } else {
        delay = backoff.delay(failedAttempts);
        if (failed) {
          failedAttempts++;
        }
      }
      pendingConnect = scheduler.schedule(this::connectNow, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
    if (connection.isPausing()) {
      log.info("bridge paused; reconnecting in {}", delay);
    } else {
      log.warn(
          "bridge lost {}:{} ({}, {}); reconnecting in {}",
          config.host(),
          config.port(),
          context.getSource(),
          context.getCause().toString(),
          delay);
    }
  }

  /**
   * Whether the client closed the connection because the broker overran the receive maximum.
   * Mosquitto 2.0 does after a resumed session: it resends every message still in flight and, on
   * the first acknowledgement, a whole new quota. The HiveMQ client enforces the limit strictly, so
   * with an unchanged limit every reconnect would fail the same way and redeliver the same messages
   * forever.
   */
  private static boolean brokerExceededReceiveMaximum(Throwable cause) {
    return cause instanceof Mqtt5DisconnectException disconnect
        && disconnect.getMqttMessage().getReasonCode()
            == Mqtt5DisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED;
  }

  private void ingestAdvanced() {
    synchronized (lock) {
      busyStreak = 0;
    }
  }

  private static void disconnectQuietly(BridgeConnection connection) {
    try {
      connection.client().disconnect().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Not connected (any more) or the broker is gone: the session on the broker stays either way.
      log.debug("bridge disconnect did not complete cleanly: {}", e.toString());
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static MqttClientSslConfig sslConfig(BridgeConfig config) {
    MqttClientSslConfigBuilder ssl = MqttClientSslConfig.builder();
    if (config.trustFile().isPresent()) {
      ssl = ssl.trustManagerFactory(PemTrust.fromPemFile(config.trustFile().get()));
    }
    return ssl.build();
  }

  private static Mqtt5Connect connectMessage(BridgeConfig config, int receiveMaximum) {
    Mqtt5ConnectBuilder builder =
        Mqtt5Connect.builder()
            .cleanStart(false)
            .sessionExpiryInterval(config.sessionExpiry().toSeconds())
            .restrictions()
            .receiveMaximum(receiveMaximum)
            .applyRestrictions();
    if (config.username().isPresent()) {
      Mqtt5SimpleAuthBuilder.Complete auth =
          Mqtt5SimpleAuth.builder().username(config.username().get());
      if (config.password().isPresent()) {
        auth = auth.password(config.password().get().getBytes(StandardCharsets.UTF_8));
      }
      builder = builder.simpleAuth(auth.build());
    }
    return builder.build();
  }

  private static Mqtt5Subscribe subscribeMessage(BridgeConfig config) {
    return Mqtt5Subscribe.builder()
        .addSubscriptions(
            config.topicFilters().stream()
                .map(
                    filter ->
                        Mqtt5Subscription.builder()
                            .topicFilter(filter)
                            .qos(MqttQos.AT_LEAST_ONCE)
                            // Re-subscribing on every connection keeps the filters current
                            // without replaying retained messages into the log each time.
                            .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST)
                            .build()))
        .build();
  }
}

package io.auditgate.sim;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import io.auditgate.sim.SimulationPlan.Credentials;
import io.auditgate.sim.SimulationPlan.Fault;
import io.auditgate.sim.SimulationPlan.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link SimulationPlan}: connects the fleet, lets every board publish its readings on
 * schedule while the planned faults happen, waits for every answer, disconnects, and reports.
 *
 * <p>Over HTTPS ({@link Transport#HTTPS}) there is nothing to connect: each board posts every
 * reading with a JDK {@link HttpClient}, its own when it has a client certificate, a shared one
 * otherwise. Every such client keeps a selector thread, so HTTPS runs with certificates suit fleets
 * of hundreds rather than the many thousands MQTT handles.
 *
 * <p>Scale: every board has its own asynchronous HiveMQ client, and all of them share one executor
 * configuration (one Netty event-loop group) and one small scheduler, so a single JVM holds
 * thousands of boards; connection attempts are limited to {@value #CONNECTS_IN_FLIGHT} at a time so
 * that connecting a large fleet does not turn into an accidental storm.
 *
 * <p>Thread-safety: a simulator may run several plans, one after another or at once; {@link #run}
 * blocks its caller until the run is over.
 */
public final class FleetSimulator {
  private static final Logger log = LoggerFactory.getLogger(FleetSimulator.class);
  private static final int CONNECTS_IN_FLIGHT = 256;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration DISCONNECT_TIMEOUT = Duration.ofSeconds(15);

  private final Clock clock;
  private final int threads;
  private final MqttClientExecutorConfig executors;

  /**
   * @param clock stamps the readings ({@code ts}) and the report
   */
  public FleetSimulator(Clock clock) {
    this(clock, Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors())));
  }

  /**
   * @param clock stamps the readings ({@code ts}) and the report
   * @param threads Netty event-loop threads shared by every board, and scheduler threads
   */
  public FleetSimulator(Clock clock, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.threads = threads;
    this.executors = MqttClientExecutorConfig.builder().nettyThreads(threads).build();
  }

  /**
   * Runs the plan to its end.
   *
   * @param progress called about once a second while the boards publish, on a simulator thread;
   *     keep it short
   * @return what every board sent and what became of it
   * @throws UnableToLoadCredentialsException if a certificate or key file cannot be loaded (before
   *     anything connects)
   * @throws InterruptedException if the calling thread is interrupted; the fleet is disconnected
   *     first
   */
  public SimulationReport run(SimulationPlan plan, Consumer<SimulationProgress> progress)
      throws InterruptedException {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(progress, "progress");
    Instant startedAt = clock.instant();
    long connectStart = System.nanoTime();
    Map<String, KeyManagerFactory> keys = keyManagers(plan);

    ScheduledThreadPoolExecutor scheduler =
        new ScheduledThreadPoolExecutor(
            threads,
            r -> {
              Thread t = new Thread(r, "auditgate-sim");
              t.setDaemon(true);
              return t;
            });
    scheduler.setRemoveOnCancelPolicy(true);
    FleetContext fleet = new FleetContext(clock, scheduler);
    List<SimulatedDevice> devices = devices(plan, fleet, keys);
    boolean completed = false;
    try {
      connectAll(devices);
      long start = System.nanoTime();
      Duration connectTime = Duration.ofNanos(start - connectStart);
      log.info(
          "simulation: {} of {} boards connected in {} ms",
          devices.stream().filter(SimulatedDevice::isConnected).count(),
          devices.size(),
          connectTime.toMillis());

      CountDownLatch finished = new CountDownLatch(devices.size());
      scheduleReadings(plan, devices, scheduler, start, finished);
      for (Fault fault : plan.faults()) {
        if (fault instanceof Fault.ReconnectStorm storm) {
          scheduler.schedule(
              () -> devices.forEach(SimulatedDevice::storm),
              start + storm.start().toNanos() - System.nanoTime(),
              TimeUnit.NANOSECONDS);
        }
      }
      ScheduledFuture<?> reporting =
          scheduler.scheduleAtFixedRate(
              () -> report(progress, devices, start), 1, 1, TimeUnit.SECONDS);

      long end = start + plan.duration().toNanos();
      if (!finished.await(plan.duration().plusMinutes(1).toNanos(), TimeUnit.NANOSECONDS)) {
        log.warn("simulation: some boards did not finish their readings in time");
      }
      long rest = end - System.nanoTime();
      if (rest > 0) {
        TimeUnit.NANOSECONDS.sleep(rest);
      }
      drain(fleet);
      Duration runTime = Duration.ofNanos(System.nanoTime() - start);
      reporting.cancel(false);
      fleet.finish();
      disconnectAll(devices);
      List<DeviceReport> reports = new ArrayList<>(devices.size());
      for (SimulatedDevice device : devices) {
        reports.add(device.counters().report(device.id()));
      }
      completed = true;
      return new SimulationReport(startedAt, connectTime, runTime, plan.qos(), reports);
    } finally {
      fleet.finish();
      scheduler.shutdownNow();
      if (!completed) {
        // Interrupted or failed: leave no connection behind, without waiting for the broker.
        devices.forEach(SimulatedDevice::disconnect);
      }
    }
  }

  private List<SimulatedDevice> devices(
      SimulationPlan plan, FleetContext fleet, Map<String, KeyManagerFactory> keys) {
    List<String> ids = plan.deviceIds();
    List<SimulatedDevice> devices = new ArrayList<>(ids.size());
    HttpClient sharedHttp = null;
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      DeviceFaults faults = new DeviceFaults(id, plan.faults());
      String wrongTarget =
          ids.size() > 1 ? ids.get((i + 1) % ids.size()) : SimulationPlan.deviceId(0);
      Optional<KeyManagerFactory> key =
          faults
              .badCertificate()
              .map(bad -> PemCredentials.keyManagerFactory(bad.certificate(), bad.privateKey()))
              .or(() -> Optional.ofNullable(keys.get(id)));
      Function<SimulatedDevice.DisconnectListener, Link> linkFor;
      if (plan.transport() == Transport.HTTPS) {
        HttpClient http;
        if (key.isPresent()) {
          http = httpClient(plan.endpoint(), key);
        } else {
          if (sharedHttp == null) {
            sharedHttp = httpClient(plan.endpoint(), Optional.empty());
          }
          http = sharedHttp;
        }
        Optional<String> token =
            plan.credentials() instanceof Credentials.Passwords passwords
                ? Optional.ofNullable(passwords.byDevice().get(id))
                : Optional.empty();
        Link link = new HttpsLink(id, http, httpsBase(plan.endpoint()), token, CONNECT_TIMEOUT);
        linkFor = listener -> link;
      } else {
        MqttClientTransportConfig transport = transport(plan.endpoint(), key);
        Mqtt5Connect connect = connectMessage(plan.credentials(), id);
        linkFor =
            listener ->
                new MqttLink(
                    MqttClient.builder()
                        .useMqttVersion5()
                        .identifier(id)
                        .transportConfig(transport)
                        .executorConfig(executors)
                        .addDisconnectedListener(listener::disconnected)
                        .buildAsync(),
                    connect,
                    plan.qos());
      }
      devices.add(
          new SimulatedDevice(
              id,
              wrongTarget,
              new Board(id, mix(plan.seed(), i), plan.firmwareVersion()),
              faults,
              fleet,
              linkFor));
    }
    return devices;
  }

  private static void connectAll(List<SimulatedDevice> devices) throws InterruptedException {
    Semaphore permits = new Semaphore(CONNECTS_IN_FLIGHT);
    List<CompletableFuture<Void>> attempts = new ArrayList<>(devices.size());
    for (SimulatedDevice device : devices) {
      permits.acquire();
      attempts.add(device.connect().whenComplete((ok, error) -> permits.release()));
    }
    await(attempts, CONNECT_TIMEOUT.multipliedBy(2), "connecting");
  }

  private static void scheduleReadings(
      SimulationPlan plan,
      List<SimulatedDevice> devices,
      ScheduledThreadPoolExecutor scheduler,
      long start,
      CountDownLatch finished) {
    long readings = plan.messagesPerDevice();
    if (readings == 0) {
      devices.forEach(d -> finished.countDown());
      return;
    }
    long period = (long) (1e9 / plan.messagesPerSecond());
    double spread = (mix(plan.seed(), -1) >>> 11) * 0x1.0p-53;
    for (int i = 0; i < devices.size(); i++) {
      // The golden-ratio sequence spreads the boards evenly over one period, whatever their count.
      double fraction = (spread + i * 0.6180339887498949) % 1.0;
      long offset = (long) (fraction * period);
      new ReadingChain(devices.get(i), scheduler, start + offset, period, readings, start, finished)
          .schedule(0);
    }
  }

  /** One board's readings, each scheduled when the previous one has run, at absolute times. */
  private record ReadingChain(
      SimulatedDevice device,
      ScheduledThreadPoolExecutor scheduler,
      long first,
      long period,
      long readings,
      long start,
      CountDownLatch finished) {

    void schedule(long k) {
      long due = first + k * period;
      scheduler.schedule(
          () -> {
            try {
              device.tick(Duration.ofNanos(due - start));
            } catch (RuntimeException e) {
              log.error("simulation: board {} failed a reading", device.id(), e);
            }
            if (k + 1 < readings) {
              schedule(k + 1);
            } else {
              finished.countDown();
            }
          },
          due - System.nanoTime(),
          TimeUnit.NANOSECONDS);
    }
  }

  private static void report(
      Consumer<SimulationProgress> progress, List<SimulatedDevice> devices, long start) {
    long sent = 0;
    long acknowledged = 0;
    long failed = 0;
    long skipped = 0;
    int connected = 0;
    for (SimulatedDevice device : devices) {
      long[] totals = device.counters().totals();
      sent += totals[0];
      acknowledged += totals[1];
      failed += totals[2];
      skipped += device.counters().skippedTotal();
      connected += device.isConnected() ? 1 : 0;
    }
    try {
      progress.accept(
          new SimulationProgress(
              Duration.ofNanos(System.nanoTime() - start),
              connected,
              sent,
              acknowledged,
              failed,
              skipped));
    } catch (RuntimeException e) {
      log.warn("simulation: the progress callback failed", e);
    }
  }

  private static void drain(FleetContext fleet) throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    while (fleet.inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    if (fleet.inFlight.get() > 0) {
      log.warn(
          "simulation: {} publishes still unanswered after {}; reported as unconfirmed",
          fleet.inFlight.get(),
          DRAIN_TIMEOUT);
    }
  }

  private static void disconnectAll(List<SimulatedDevice> devices) throws InterruptedException {
    List<CompletableFuture<Void>> closing = new ArrayList<>(devices.size());
    for (SimulatedDevice device : devices) {
      closing.add(device.disconnect());
    }
    await(closing, DISCONNECT_TIMEOUT, "disconnecting");
  }

  private static void await(List<CompletableFuture<Void>> futures, Duration timeout, String what)
      throws InterruptedException {
    try {
      CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      // The devices' futures never fail; if one did, the counters already say what happened.
      log.warn("simulation: {} failed unexpectedly", what, e.getCause());
    } catch (TimeoutException e) {
      log.warn("simulation: {} took longer than {}; going on", what, timeout);
    }
  }

  private MqttClientTransportConfig transport(
      SimulationPlan.Endpoint endpoint, Optional<KeyManagerFactory> key) {
    MqttClientTransportConfigBuilder transport =
        MqttClientTransportConfig.builder()
            .serverHost(endpoint.host())
            .serverPort(endpoint.port())
            .socketConnectTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .mqttConnectTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (endpoint.tls().isPresent()) {
      MqttClientSslConfigBuilder ssl =
          MqttClientSslConfig.builder().trustManagerFactory(endpoint.tls().get());
      if (key.isPresent()) {
        ssl = ssl.keyManagerFactory(key.get());
      }
      transport = transport.sslConfig(ssl.build());
    }
    return transport.build();
  }

  /**
   * An HTTPS client trusting the endpoint's anchors and presenting {@code key}, if any. Each board
   * with a certificate needs its own, since the identity belongs to the client's TLS context.
   */
  private static HttpClient httpClient(
      SimulationPlan.Endpoint endpoint, Optional<KeyManagerFactory> key) {
    try {
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(
          key.map(KeyManagerFactory::getKeyManagers).orElse(null),
          endpoint.tls().orElseThrow().getTrustManagers(),
          null);
      return HttpClient.newBuilder().sslContext(tls).connectTimeout(CONNECT_TIMEOUT).build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK offers no usable TLS context", e);
    }
  }

  private static URI httpsBase(SimulationPlan.Endpoint endpoint) {
    String host = endpoint.host().contains(":") ? "[" + endpoint.host() + "]" : endpoint.host();
    return URI.create("https://" + host + ":" + endpoint.port());
  }

  private static Mqtt5Connect connectMessage(Credentials credentials, String deviceId) {
    Mqtt5ConnectBuilder connect = Mqtt5Connect.builder().cleanStart(true).keepAlive(60);
    if (credentials instanceof Credentials.Passwords passwords
        && passwords.byDevice().containsKey(deviceId)) {
      connect =
          connect.simpleAuth(
              Mqtt5SimpleAuth.builder()
                  .username(deviceId)
                  .password(passwords.byDevice().get(deviceId).getBytes(StandardCharsets.UTF_8))
                  .build());
    }
    return connect.build();
  }

  /** Every board's key manager, loaded up front so that a bad file stops the run at once. */
  private static Map<String, KeyManagerFactory> keyManagers(SimulationPlan plan) {
    Map<String, KeyManagerFactory> keys = new HashMap<>();
    if (plan.credentials() instanceof Credentials.ClientCertificates certificates) {
      Path dir = certificates.directory();
      for (String id : plan.deviceIds()) {
        keys.put(
            id,
            PemCredentials.keyManagerFactory(dir.resolve(id + ".crt"), dir.resolve(id + ".key")));
      }
    } else if (plan.credentials() instanceof Credentials.KeyManagers given) {
      for (String id : plan.deviceIds()) {
        KeyManagerFactory key = given.byDevice().get(id);
        if (key == null) {
          throw new IllegalArgumentException("no key manager for device " + id);
        }
        keys.put(id, key);
      }
    }
    return keys;
  }

  /** A well-mixed 64-bit value per (seed, index): SplitMix64's finaliser. */
  static long mix(long seed, long index) {
    long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}

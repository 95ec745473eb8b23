package io.auditgate.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The QoS 1 load generator of {@code auditgate bench ingest}: several MQTT 5 connections (HiveMQ's
 * asynchronous client), each its own device publishing to {@code devices/{id}/telemetry} with a
 * bounded window of publishes awaiting their PUBACK. Every PUBACK starts the next publish at once,
 * so the broker, not a rate, sets the pace. Payloads are valid seed JSON of exactly {@link
 * #PAYLOAD_BYTES} bytes with a per-connection increasing {@code seq}.
 */
public final class MqttLoadGenerator implements AutoCloseable {
  public static final int PAYLOAD_BYTES = 200;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);

  /** One publishing connection: the device it is and, for mutual TLS, its key. */
  public record Device(String id, Optional<KeyManagerFactory> key) {}

  /**
   * What one measured window produced.
   *
   * @param acknowledged PUBACKs with a success reason code received inside the window
   * @param failed publishes refused (error reason code) or failed (connection lost) in the window
   * @param latenciesNanos PUBACK latency of every acknowledged publish, sorted ascending
   * @param wallNanos length of the window
   * @param generatorCpuNanos CPU time of the client's threads during the window
   */
  public record Window(
      long acknowledged,
      long failed,
      long[] latenciesNanos,
      long wallNanos,
      long generatorCpuNanos) {
    public double perSecond() {
      return acknowledged * 1e9 / wallNanos;
    }

    /** The exact {@code q} quantile of the samples (nearest rank), in milliseconds. */
    public double quantileMillis(double q) {
      if (latenciesNanos.length == 0) {
        return Double.NaN;
      }
      int rank = (int) Math.ceil(q * latenciesNanos.length);
      return latenciesNanos[Math.max(0, Math.min(latenciesNanos.length, rank) - 1)] / 1e6;
    }
  }

  private final List<Connection> connections;
  private final int window;

  private MqttLoadGenerator(List<Connection> connections, int window) {
    this.connections = connections;
    this.window = window;
  }

  /**
   * Connects every device to {@code host:port}, over TLS when {@code trust} is present.
   *
   * @param window publishes each connection keeps awaiting their PUBACK
   */
  public static MqttLoadGenerator connect(
      String host,
      int port,
      Optional<TrustManagerFactory> trust,
      List<Device> devices,
      int window,
      String clientIdPrefix) {
    List<Connection> connections = new ArrayList<>();
    List<CompletableFuture<?>> connecting = new ArrayList<>();
    for (Device device : devices) {
      MqttClientTransportConfigBuilder transport =
          MqttClientTransportConfig.builder()
              .serverHost(host)
              .serverPort(port)
              .socketConnectTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .mqttConnectTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (trust.isPresent()) {
        var ssl = MqttClientSslConfig.builder().trustManagerFactory(trust.get());
        if (device.key().isPresent()) {
          ssl = ssl.keyManagerFactory(device.key().get());
        }
        transport = transport.sslConfig(ssl.build());
      }
      Mqtt5AsyncClient client =
          MqttClient.builder()
              .useMqttVersion5()
              .identifier(clientIdPrefix + device.id())
              .transportConfig(transport.build())
              .buildAsync();
      connections.add(new Connection(device.id(), client));
      connecting.add(client.connectWith().cleanStart(true).keepAlive(60).send());
    }
    MqttLoadGenerator generator = new MqttLoadGenerator(connections, window);
    try {
      CompletableFuture.allOf(connecting.toArray(new CompletableFuture<?>[0]))
          .get(CONNECT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    } catch (Exception e) {
      generator.close();
      throw new IllegalStateException(
          "connecting " + devices.size() + " publishers to " + host + ":" + port + ": " + e, e);
    }
    return generator;
  }

  /**
   * Publishes for {@code duration} and returns what was acknowledged inside it. Publishes still
   * awaiting a PUBACK at the end are waited for (they keep their sequence numbers in order) but not
   * counted.
   */
  public Window run(Duration duration) {
    long[] threadCpuBefore = generatorThreadCpu();
    long start = System.nanoTime();
    Phase phase = new Phase(start + duration.toNanos());
    for (Connection c : connections) {
      c.latencies.reset();
      for (int i = 0; i < window; i++) {
        c.publishNext(phase);
      }
    }
    sleepUntil(phase.end);
    long wall = System.nanoTime() - start;
    long cpu = cpuDelta(threadCpuBefore, generatorThreadCpu());
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    while (phase.inFlight.get() > 0 && System.nanoTime() < deadline) {
      sleepMillis(5);
    }
    long acked = 0;
    long failed = 0;
    List<long[]> parts = new ArrayList<>();
    for (Connection c : connections) {
      synchronized (c.latencies) {
        parts.add(c.latencies.copy());
      }
    }
    acked = phase.acknowledged.get();
    failed = phase.failed.get();
    long[] all = new long[parts.stream().mapToInt(p -> p.length).sum()];
    int at = 0;
    for (long[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    Arrays.sort(all);
    return new Window(acked, failed, all, wall, cpu);
  }

  /** The 200-byte seed-JSON telemetry of message {@code seq}. */
  public static byte[] payload(long seq) {
    String head =
        "{\"seq\":"
            + seq
            + ",\"metrics\":{\"temperature_c\":21.5,\"humidity_pct\":48.25,"
            + "\"pressure_hpa\":1013.2},"
            + "\"tags\":{\"pad\":\"";
    String tail = "\"}}";
    int pad = PAYLOAD_BYTES - head.length() - tail.length();
    return (head + "x".repeat(Math.max(0, pad)) + tail).getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Per-thread CPU time of the MQTT client's threads: its Netty I/O threads ({@code
   * com.hivemq.client.mqtt-…}) and the RxJava threads that complete its futures and so run the
   * generator's callbacks ({@code RxComputationThreadPool-…}); a snapshot of ids and times.
   */
  private static long[] generatorThreadCpu() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] ids = threads.getAllThreadIds();
    ThreadInfo[] infos = threads.getThreadInfo(ids);
    List<Long> pairs = new ArrayList<>();
    for (ThreadInfo info : infos) {
      if (info != null
          && (info.getThreadName().startsWith("com.hivemq.client")
              || info.getThreadName().startsWith("RxComputationThreadPool"))) {
        pairs.add(info.getThreadId());
        pairs.add(threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return pairs.stream().mapToLong(Long::longValue).toArray();
  }

  private static long cpuDelta(long[] before, long[] after) {
    long total = 0;
    for (int i = 0; i < after.length; i += 2) {
      long base = 0;
      for (int j = 0; j < before.length; j += 2) {
        if (before[j] == after[i]) {
          base = before[j + 1];
        }
      }
      if (after[i + 1] >= 0) {
        total += after[i + 1] - Math.max(0, base);
      }
    }
    return total;
  }

  private static void sleepUntil(long nanoTime) {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      sleepMillis(Math.max(1, Math.min(100, left / 1_000_000)));
    }
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    List<CompletableFuture<?>> closing = new ArrayList<>();
    for (Connection c : connections) {
      closing.add(c.client.disconnect().exceptionally(e -> null));
    }
    try {
      CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]))
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Closing is best effort; the broker under test is stopped next anyway.
    }
  }

  /** One measured window's shared state. */
  private static final class Phase {
    final long end;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong failed = new AtomicLong();

    Phase(long end) {
      this.end = end;
    }
  }

  private static final class Connection {
    final Mqtt5AsyncClient client;
    final String topic;
    final AtomicLong seq = new AtomicLong();
    final Samples latencies = new Samples();

    Connection(String deviceId, Mqtt5AsyncClient client) {
      this.client = client;
      this.topic = "devices/" + deviceId + "/telemetry";
    }

    void publishNext(Phase phase) {
      if (System.nanoTime() >= phase.end) {
        return;
      }
      phase.inFlight.incrementAndGet();
      long sent = System.nanoTime();
      client
          .publish(
              Mqtt5Publish.builder()
                  .topic(topic)
                  .qos(MqttQos.AT_LEAST_ONCE)
                  .payload(payload(seq.incrementAndGet()))
                  .build())
          .whenComplete(
              (result, error) -> {
                long now = System.nanoTime();
                boolean inWindow = now <= phase.end;
                if (error == null && !refused(result)) {
                  if (inWindow) {
                    phase.acknowledged.incrementAndGet();
                    synchronized (latencies) {
                      latencies.add(now - sent);
                    }
                  }
                } else if (inWindow) {
                  phase.failed.incrementAndGet();
                }
                phase.inFlight.decrementAndGet();
                if (error == null) {
                  publishNext(phase);
                }
              });
    }

    private static boolean refused(Mqtt5PublishResult result) {
      return result.getError().isPresent()
          || (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1
              && qos1.getPubAck().getReasonCode().isError());
    }
  }

  /** A growable array of latency samples; guarded by its own monitor. */
  private static final class Samples {
    private long[] values = new long[1 << 14];
    private int size;

    void add(long value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    synchronized void reset() {
      size = 0;
    }

    long[] copy() {
      return Arrays.copyOf(values, size);
    }
  }
}

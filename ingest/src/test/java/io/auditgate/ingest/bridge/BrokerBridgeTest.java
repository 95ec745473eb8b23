package io.auditgate.ingest.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.auditgate.core.config.BridgeConfig;
import io.auditgate.core.config.WalConfig;
import io.auditgate.core.ingest.DeviceIdentity;
import io.auditgate.core.ingest.IngestRequest;
import io.auditgate.core.wal.WalListener;
import io.auditgate.wal.SegmentedWal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bridge against a real Mosquitto, feeding a fake ingest that stores into a real write-ahead
 * log: what the broker delivers ends up durable, what is not durable is never acknowledged, and the
 * persistent session carries messages across broker restarts, bridge restarts and busy spells.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BrokerBridgeTest {
  private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path tmp;

  private MosquittoBroker broker;
  private SegmentedWal wal;
  private WalIngest ingest;
  private final List<AutoCloseable> closeLast = new ArrayList<>();

  @BeforeEach
  void openLog() {
    wal =
        SegmentedWal.open(
            tmp.resolve("wal"), WalConfig.defaults(), Clock.systemUTC(), WalListener.NONE);
    ingest = new WalIngest(wal);
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (AutoCloseable c : closeLast) {
      c.close();
    }
    ingest.close();
    wal.close();
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void messagesPublishedWithMosquittoPubEndUpInTheLogAndAreAcknowledged() throws Exception {
    broker = MosquittoBroker.start(tmp.resolve("broker"));
    BrokerBridge bridge = bridge("bridge-pub", Duration.ofMillis(100), 100);
    bridge.start().get(10, TimeUnit.SECONDS);

    mosquittoPub("devices/dev-1/telemetry", "{\"seq\":1,\"metrics\":{\"temperature_c\":21.5}}");
    mosquittoPub("devices/dev-2/events", "{\"seq\":2}");
    mosquittoPub("devices/dev-3/firmware/state", "{\"seq\":3}");
    mosquittoPub("devices/dev-1/telemetry", "this is not json");
    mosquittoPub("devices/dev-1/commands/reboot", "{\"seq\":99}");

    await(
        () -> ingest.storedBodies().size() == 3 && ingest.deadLetterBodies().size() == 1,
        () -> "stored " + ingest.storedBodies() + ", dead " + ingest.deadLetterBodies());
    assertThat(seqs(ingest.storedBodies())).containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(ingest.deadLetterBodies()).containsExactly("this is not json");
    IngestRequest first = ingest.requests().get(0);
    assertThat(first.transport()).isEqualTo(IngestRequest.Transport.BRIDGE);
    assertThat(first.identity())
        .isEqualTo(new DeviceIdentity("dev-1", DeviceIdentity.Method.BRIDGED, Optional.empty()));
    assertThat(first.sourceTopic()).isEqualTo("devices/dev-1/telemetry");
    assertThat(ingest.requests())
        .as("commands are not subscribed to")
        .noneMatch(r -> r.sourceTopic().contains("commands"));
    BridgeMetrics metrics = bridge.metrics();
    assertThat(metrics.stored()).isEqualTo(3);
    assertThat(metrics.rejected()).isEqualTo(1);
    assertThat(metrics.connected()).isTrue();

    // The gateway restarts: what it acknowledged is not delivered again, and what was published
    // while it was away waits in its session on the broker.
    bridge.close();
    mosquittoPub("devices/dev-4/telemetry", "{\"seq\":4}");
    BrokerBridge restarted = bridge("bridge-pub", Duration.ofMillis(100), 100);
    restarted.start().get(10, TimeUnit.SECONDS);
    await(
        () -> ingest.storedBodies().size() >= 4,
        () -> "stored after the bridge restarted " + ingest.storedBodies());
    Thread.sleep(500);
    assertThat(seqs(ingest.storedBodies()))
        .as("acknowledged messages are not delivered again; the one sent meanwhile arrives")
        .containsExactly(1L, 2L, 3L, 4L);
    assertThat(ingest.deadLetterBodies()).hasSize(1);
  }

  @ParameterizedTest(name = "receive maximum {0}")
  @ValueSource(ints = {1000, 10})
  void whileIngestIsBusyNothingIsAcknowledgedAndEverythingArrivesOnceItRecovers(int receiveMaximum)
      throws Exception {
    broker = MosquittoBroker.start(tmp.resolve("broker"));
    BrokerBridge bridge = bridge("bridge-busy", Duration.ofMillis(100), receiveMaximum);
    bridge.start().get(10, TimeUnit.SECONDS);
    ingest.busy(true);

    int messages = 100;
    try (Publisher publisher = new Publisher("pub-busy")) {
      for (int seq = 1; seq <= messages; seq++) {
        publisher.publish("devices/dev-" + (seq % 4) + "/telemetry", "{\"seq\":" + seq + "}");
      }
    }
    await(() -> bridge.metrics().pauses() >= 2, () -> "pauses: " + bridge.metrics());
    assertThat(ingest.storedBodies()).as("nothing is stored while busy").isEmpty();
    BridgeMetrics whileBusy = bridge.metrics();
    assertThat(whileBusy.busy())
        .as("busy again after the pause: delivered again")
        .isGreaterThanOrEqualTo(2);
    assertThat(whileBusy.stored()).isZero();

    ingest.busy(false);
    await(
        () -> seqs(ingest.storedBodies()).stream().distinct().count() == messages,
        () -> "stored after recovery: " + seqs(ingest.storedBodies()) + " " + bridge.metrics());
    // Give redeliveries that are still under way the time to land, so they are counted.
    Thread.sleep(500);

    List<Long> stored = seqs(ingest.storedBodies());
    long duplicates = stored.size() - stored.stream().distinct().count();
    BridgeMetrics after = bridge.metrics();
    assertThat(stored.stream().distinct().sorted().toList())
        .as("no loss")
        .containsExactlyElementsOf(range(1, messages));
    assertThat(after.received() + after.deferred())
        .as("the busy messages were left with the broker and delivered again")
        .isGreaterThan(messages);
    if (receiveMaximum >= messages) {
      // Stored is acknowledged; what arrived during the pause was not stored: no duplicates.
      assertThat(duplicates).as("duplicates, with %s", after).isZero();
    } else {
      // Mosquitto overran the small receive maximum after the resume; the bridge widened it
      // instead of failing forever, at the price of storing again what it could not acknowledge.
      assertThat(after.receiveMaximum()).isGreaterThan(receiveMaximum);
      // Each widening costs one redelivery of at most the widened quota: 10 + 20 + ... + 160.
      assertThat(duplicates).as("duplicates, with %s", after).isLessThan(5L * messages);
    }
    System.out.printf(
        "busy spell with receive maximum %d: %d messages, %d duplicates, %s%n",
        receiveMaximum, messages, duplicates, after);
  }

  /** How the broker goes down. */
  enum Outage {
    /** SIGTERM: Mosquitto saves its persistence on the way out. */
    STOPPED,
    /** SIGKILL: only its last autosave (every second here) survives. */
    KILLED
  }

  @ParameterizedTest
  @EnumSource(Outage.class)
  void thePersistentSessionSurvivesABrokerRestart(Outage outage) throws Exception {
    broker = MosquittoBroker.start(tmp.resolve("broker"));
    // Long enough that the restarted broker takes messages before the bridge is back.
    Duration reconnect = Duration.ofSeconds(4);
    BrokerBridge bridge = bridge("bridge-restart", reconnect, 100);
    bridge.start().get(10, TimeUnit.SECONDS);

    try (Publisher publisher = new Publisher("pub-before")) {
      for (int seq = 1; seq <= 5; seq++) {
        publisher.publish("devices/dev-1/telemetry", "{\"seq\":" + seq + "}");
      }
    }
    await(() -> ingest.storedBodies().size() == 5, () -> "before: " + ingest.storedBodies());
    broker.awaitAutosave();

    if (outage == Outage.STOPPED) {
      broker.stop();
    } else {
      broker.kill();
    }
    broker.restart();
    try (Publisher publisher = new Publisher("pub-during")) {
      for (int seq = 6; seq <= 15; seq++) {
        publisher.publish("devices/dev-2/telemetry", "{\"seq\":" + seq + "}");
      }
    }
    assertThat(bridge.metrics().connected())
        .as("the messages went to the restarted broker while the bridge was away")
        .isFalse();

    await(
        () -> seqs(ingest.storedBodies()).stream().distinct().count() == 15,
        () -> "after the restart: " + seqs(ingest.storedBodies()) + "\n" + broker.log());
    List<Long> stored = seqs(ingest.storedBodies());
    assertThat(stored.stream().distinct().sorted().toList())
        .as("nothing acknowledged is lost")
        .containsExactlyElementsOf(range(1, 15));
    assertThat(stored.subList(0, 5)).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(bridge.metrics().reconnects()).isGreaterThanOrEqualTo(1);
    assertThat(bridge.metrics().connected()).isTrue();
  }

  @Test
  void aBridgeStartedBeforeTheBrokerConnectsOnceItIsUp() throws Exception {
    int port = MosquittoBroker.freePort();
    BrokerBridge bridge = bridge("bridge-early", port, Duration.ofMillis(100), 100);
    var started = bridge.start();
    await(() -> bridge.metrics().connectFailures() >= 2, () -> "failures: " + bridge.metrics());
    assertThat(started).isNotDone();

    broker = MosquittoBroker.start(tmp.resolve("broker"), port);
    started.get(15, TimeUnit.SECONDS);
    try (Publisher publisher = new Publisher("pub-early")) {
      publisher.publish("devices/dev-9/telemetry", "{\"seq\":9}");
    }
    await(() -> ingest.storedBodies().size() == 1, () -> "stored: " + ingest.storedBodies());
  }

  // ------------------------------------------------------------------ helpers

  private BrokerBridge bridge(String clientId, Duration reconnect, int receiveMaximum) {
    return bridge(clientId, broker.port(), reconnect, receiveMaximum);
  }

  private BrokerBridge bridge(String clientId, int port, Duration reconnect, int receiveMaximum) {
    BridgeConfig config =
        new BridgeConfig(
            true,
            "127.0.0.1",
            port,
            false,
            null,
            null,
            null,
            clientId,
            null,
            Duration.ofHours(1),
            receiveMaximum,
            reconnect,
            reconnect.multipliedBy(4));
    BrokerBridge bridge = new BrokerBridge(config, ingest, Clock.systemUTC());
    closeLast.add(0, bridge);
    return bridge;
  }

  private void mosquittoPub(String topic, String message) throws IOException, InterruptedException {
    Path out = Files.createTempFile(tmp, "mosquitto_pub", ".log");
    Process process =
        new ProcessBuilder(
                MosquittoBroker.program("mosquitto_pub").toString(),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(broker.port()),
                "-V",
                "mqttv5",
                "-q",
                "1",
                "-t",
                topic,
                "-m",
                message)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("mosquitto_pub finished").isTrue();
    assertThat(process.exitValue()).as("mosquitto_pub: %s", Files.readString(out)).isZero();
  }

  /** A device-side publisher: QoS 1, each publish returns once the broker acknowledged it. */
  private final class Publisher implements AutoCloseable {
    private final Mqtt5BlockingClient client;

    Publisher(String clientId) {
      client =
          MqttClient.builder()
              .useMqttVersion5()
              .identifier(clientId)
              .serverHost("127.0.0.1")
              .serverPort(broker.port())
              .buildBlocking();
      client.connect();
    }

    void publish(String topic, String payload) {
      client
          .publishWith()
          .topic(topic)
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(payload.getBytes(StandardCharsets.UTF_8))
          .send();
    }

    @Override
    public void close() {
      client.disconnect();
    }
  }

  private static List<Long> seqs(List<String> bodies) {
    List<Long> seqs = new ArrayList<>();
    for (String body : bodies) {
      Matcher m = SEQ.matcher(body);
      if (m.find()) {
        seqs.add(Long.parseLong(m.group(1)));
      }
    }
    return seqs;
  }

  private static List<Long> range(long from, long to) {
    List<Long> values = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      values.add(i);
    }
    return values;
  }

  private static void await(BooleanSupplier condition, Supplier<String> state)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + state.get());
      }
      Thread.sleep(20);
    }
  }
}

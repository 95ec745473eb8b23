package io.auditgate.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.auditgate.embedded.LoopbackPorts;
import io.auditgate.wal.WalInspector;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real crash of the whole gateway: a child JVM runs {@code auditgate run --config FILE} (mTLS
 * MQTT on a port the test chose), several devices publish QoS 1 to it concurrently, and after a
 * random 500–1500 ms of load it is killed with SIGKILL; then it is started again on the same data
 * directory, the devices first resend what was never acknowledged, and it is killed again (three
 * runs, two restarts). Every message the gateway acknowledged with PUBACK must be in the log, and
 * no message may be there more often than once plus the number of times it was resent.
 *
 * <p>SIGKILL keeps the page cache: this proves the process-crash half of "acknowledged means
 * durable" through the real listener, pipeline and log, not power loss.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GatewayKillDashNineTest {
  private static final int RUNS = 3;
  private static final List<String> DEVICES =
      List.of("b-l475e-0001", "b-l475e-0002", "b-l475e-0003", "b-l475e-0004");
  private static final int IN_FLIGHT_PER_DEVICE = 8;
  private static final long STARTUP_MILLIS = 30_000;

  @TempDir Path dir;

  /** What the devices know: every seq they sent, how often they resent it, what was PUBACKed. */
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

  private final Map<String, Integer> resends = new ConcurrentHashMap<>();
  private final Map<String, Long> unacknowledged = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();

  @Test
  void sigtermClosesTheLogCleanly() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"), List.of("b-l475e-0001"));
    Path data = dir.resolve("data-term");
    int port = LoopbackPorts.free();
    Path output = dir.resolve("term.out");
    Process child = startChild(writeConfig(pki, data, port, 99), output);
    try {
      awaitRunning(child, output, port);
      child.destroy(); // SIGTERM: readiness turns to draining, listeners stop, the log closes
      assertThat(child.waitFor(20, TimeUnit.SECONDS)).as(read(output)).isTrue();
      assertThat(child.exitValue()).as(read(output)).isEqualTo(143);
    } finally {
      child.destroyForcibly();
    }
    assertThat(new io.auditgate.wal.WalInspector(data.resolve("wal")).inspect().cleanShutdown())
        .as("the CLEAN marker a clean close leaves")
        .isTrue();
  }

  @Test
  void everyAcknowledgedMessageSurvivesSigkillOfTheGateway() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    TestPki pki = TestPki.create(dir.resolve("pki"), DEVICES);
    Path data = dir.resolve("data");
    List<String> kills = new ArrayList<>();
    for (int run = 1; run <= RUNS; run++) {
      int port = LoopbackPorts.free();
      Path configFile = writeConfig(pki, data, port, run);
      Path output = dir.resolve("child-" + run + ".out");
      Process child = startChild(configFile, output);
      List<Mqtt5AsyncClient> clients = new ArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> publishers = new ArrayList<>();
      try {
        awaitRunning(child, output, port);
        for (String device : DEVICES) {
          clients.add(pki.connect(device, port));
        }
        int acksBefore = acknowledged.size();
        Map<String, Long> toResend = new HashMap<>(unacknowledged);
        unacknowledged.clear();
        for (int d = 0; d < DEVICES.size(); d++) {
          String device = DEVICES.get(d);
          Mqtt5AsyncClient client = clients.get(d);
          List<Long> resend =
              toResend.entrySet().stream()
                  .filter(e -> e.getKey().startsWith(device + "/"))
                  .map(Map.Entry::getValue)
                  .sorted()
                  .toList();
          long firstSeq = run * 1_000_000L;
          Thread publisher =
              new Thread(() -> publish(client, device, resend, firstSeq, stop), "pub-" + device);
          publisher.start();
          publishers.add(publisher);
        }
        awaitAcksBeyond(acksBefore, child, output);
        long loadMillis = 500 + random.nextInt(1001);
        Thread.sleep(loadMillis); // the load before the kill is the point, not a wait for a result
        assertThat(child.isAlive())
            .as("gateway %d still running when killed; its output:%n%s", run, read(output))
            .isTrue();
        child.destroyForcibly();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        kills.add(
            "run "
                + run
                + " killed after "
                + loadMillis
                + " ms of load, "
                + (acknowledged.size() - acksBefore)
                + " acks");
      } finally {
        stop.set(true);
        if (child.isAlive()) {
          child.destroyForcibly();
          child.waitFor(10, TimeUnit.SECONDS);
        }
        for (Thread publisher : publishers) {
          publisher.join(10_000);
        }
        for (Mqtt5AsyncClient client : clients) {
          client.disconnect(); // the connection is gone; this only releases the client
        }
      }
    }
    String context = "seed " + seed + ", " + kills;
    assertThat(unexpected).as("publisher failures (%s)", context).isEmpty();

    WalInspector.Inspection inspection = new WalInspector(data.resolve("wal")).inspect();
    assertThat(inspection.hasErrors()).as("log damage: %s (%s)", inspection, context).isFalse();
    Map<String, Integer> stored = TestPki.storedCounts(data.resolve("wal"));
    System.out.printf(
        "GatewayKillDashNineTest: %s; %d acknowledged, %d distinct stored, %d resent%n",
        context, acknowledged.size(), stored.size(), resends.size());
    assertThat(acknowledged).as("acknowledged messages (%s)", context).isNotEmpty();
    for (String message : acknowledged) {
      assertThat(stored)
          .as("acknowledged %s is in the log (%s)", message, context)
          .containsKey(message);
    }
    for (Map.Entry<String, Integer> entry : stored.entrySet()) {
      assertThat(entry.getValue())
          .as("copies of %s in the log (%s)", entry.getKey(), context)
          .isLessThanOrEqualTo(1 + resends.getOrDefault(entry.getKey(), 0));
    }
  }

  /**
   * One device: first resends what the previous run never acknowledged, then new sequence numbers
   * from {@code firstSeq}, with at most {@link #IN_FLIGHT_PER_DEVICE} unacknowledged at a time.
   */
  private void publish(
      Mqtt5AsyncClient client,
      String device,
      List<Long> resend,
      long firstSeq,
      AtomicBoolean stop) {
    Semaphore window = new Semaphore(IN_FLIGHT_PER_DEVICE);
    AtomicLong next = new AtomicLong(firstSeq);
    int resent = 0;
    try {
      while (!stop.get()) {
        if (!window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
          continue;
        }
        long seq;
        if (resent < resend.size()) {
          seq = resend.get(resent++);
          resends.merge(TestPki.key(device, seq), 1, Integer::sum);
        } else {
          seq = next.getAndIncrement();
        }
        String message = TestPki.key(device, seq);
        unacknowledged.put(message, seq);
        client
            .publishWith()
            .topic("devices/" + device + "/telemetry")
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(TestPki.telemetry(seq))
            .send()
            .whenComplete(
                (result, failure) -> {
                  if (failure == null && acknowledgedOk(result)) {
                    acknowledged.add(message);
                    unacknowledged.remove(message);
                  }
                  window.release();
                });
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      unexpected.add(e);
    }
  }

  private static boolean acknowledgedOk(Mqtt5PublishResult result) {
    return result.getError().isEmpty()
        && result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1
        && !qos1.getPubAck().getReasonCode().isError();
  }

  private static Path writeConfig(TestPki pki, Path data, int port, int run) throws IOException {
    String yaml =
        String.join(
            "\n",
            "gateway:",
            "  id: gw-crash",
            "  data_dir: " + data,
            "tls:",
            "  certificate_chain: " + pki.serverCertificate,
            "  private_key: " + pki.serverKey,
            "  client_ca_bundle: " + pki.caCertificate,
            "  client_auth: optional",
            "mqtt:",
            "  bind_host: 127.0.0.1",
            "  port: " + port,
            "http:",
            "  bind_host: 127.0.0.1",
            "  port: 0",
            "wal:",
            "  segment_size: 64KiB", // small segments, so that kills also land in rolls
            "  max_record_size: 16KiB",
            "dispatch:",
            "  sink: none", // this test is about the log alone
            "");
    Path file = pki.root.resolve("gateway-" + run + ".yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  private static Process startChild(Path configFile, Path output) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return new ProcessBuilder(
            java,
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            classpath,
            GatewayChild.class.getName(),
            "run",
            "--config",
            configFile.toString(),
            "--drain",
            "0s")
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
  }

  /** Polls until the child says it runs and its MQTT port takes connections. */
  private static void awaitRunning(Process child, Path output, int port)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STARTUP_MILLIS);
    while (System.nanoTime() < deadline) {
      assertThat(child.isAlive())
          .as("gateway exited early; its output:%n%s", read(output))
          .isTrue();
      if (read(output).contains("gateway gw-crash running")) {
        try (Socket probe = new Socket()) {
          probe.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
          return;
        } catch (IOException notYet) {
          // listening is announced after bind; keep polling until the deadline
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "gateway not running within " + STARTUP_MILLIS + " ms; its output:\n" + read(output));
  }

  private void awaitAcksBeyond(int before, Process child, Path output)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (acknowledged.size() <= before) {
      assertThat(System.nanoTime())
          .as("no PUBACK within 10 s; gateway output:%n%s", read(output))
          .isLessThan(deadline);
      assertThat(child.isAlive()).as("gateway output:%n%s", read(output)).isTrue();
      Thread.sleep(20);
    }
  }

  private static String read(Path output) throws IOException {
    return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
  }
}

package io.auditgate.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.config.DataSize;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded fuzz run over raw sockets: random bytes and mutations of valid packet sequences. The
 * listener must stay up, close what it cannot use, log no unexpected error, and afterwards serve a
 * well-behaved client as if nothing happened.
 */
@Timeout(120)
class FuzzTest {
  private static final int ITERATIONS = 2_000;
  private static final int SOCKETS_AT_ONCE = 50;
  private static final long SEED = Long.getLong("fuzz.seed", 0x5EEDL);

  @TempDir Path dir;

  @Test
  void randomAndMutatedPacketsLeaveTheListenerServing() throws Exception {
    Random random = new Random(SEED);
    List<byte[]> seeds = seeds();
    try (LogWatch logs = new LogWatch();
        Harness gateway =
            Harness.settings()
                .connectTimeout(Duration.ofMillis(500))
                .maxPacketSize(DataSize.ofKibibytes(4))
                .maxConnectionsPerSecond(1_000_000)
                .start(dir)) {
      for (int done = 0; done < ITERATIONS; done += SOCKETS_AT_ONCE) {
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < SOCKETS_AT_ONCE; i++) {
          open.add(sendQuietly(gateway, input(random, seeds)));
        }
        for (Socket socket : open) {
          closeQuietly(socket);
        }
      }

      gateway.awaitMetrics(
          "every fuzzed connection accepted and closed",
          m -> m.connectionsTotal() == ITERATIONS && m.connectionsOpen() == 0);

      MqttAsyncClient client = Paho.v3(gateway.tcp(), "after-the-storm");
      try {
        client.connect(Paho.v3Options("device-1", "secret-1")).waitForCompletion(Paho.WAIT_MILLIS);
        byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        client
            .publish("devices/device-1/telemetry", ok, 1, false)
            .waitForCompletion(Paho.WAIT_MILLIS);
      } finally {
        Paho.closeQuietly(client);
      }
      assertThat(gateway.ingest.storedBodies()).contains("{\"ok\":true}");
      assertThat(gateway.metrics().unexpectedErrors()).as("seed %d", SEED).isZero();
      assertThat(logs.warnings()).as("seed %d", SEED).isEmpty();
    }
  }

  /** Valid packet sequences the mutations start from. */
  private static List<byte[]> seeds() {
    String topic = "devices/device-1/telemetry";
    byte[] v3 = Packets.connect(Packets.V311, "fuzz-3", "device-1", "secret-1", 5);
    byte[] v5 = Packets.connect(Packets.V5, "fuzz-5", "device-1", "secret-1", 5);
    return List.of(
        v3,
        v5,
        Packets.concat(v3, Packets.publish(Packets.V311, topic, 1, 1, "{\"seq\":1}")),
        Packets.concat(
            v5, Packets.publish(Packets.V5, topic, 2, 2, "{\"seq\":2}"), Packets.pubRel(2)),
        Packets.concat(v3, Packets.subscribe(Packets.V311, 3, 1, "devices/device-1/commands/#")),
        Packets.concat(v5, Packets.subscribe(Packets.V5, 4, 1, "devices/+/commands/#")),
        Packets.concat(v3, Packets.pingReq(), Packets.disconnect()),
        Packets.connect(
            Packets.V311,
            "willing",
            true,
            "device-1",
            "secret-1",
            5,
            "devices/device-1/events",
            "{}"));
  }

  private static byte[] input(Random random, List<byte[]> seeds) {
    byte[] seed = seeds.get(random.nextInt(seeds.size()));
    return switch (random.nextInt(5)) {
      case 0 -> randomBytes(random, 1 + random.nextInt(300));
      case 1 -> flipBytes(random, seed);
      case 2 -> Arrays.copyOf(seed, random.nextInt(seed.length)); // truncated
      case 3 -> Packets.concat(seeds.get(0), randomBytes(random, 1 + random.nextInt(200)));
      default -> splice(random, seed);
    };
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] flipBytes(Random random, byte[] seed) {
    byte[] mutated = seed.clone();
    for (int i = 0, flips = 1 + random.nextInt(4); i < flips; i++) {
      mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
    }
    return mutated;
  }

  /** The seed with random bytes inserted at a random position. */
  private static byte[] splice(Random random, byte[] seed) {
    int at = random.nextInt(seed.length + 1);
    return Packets.concat(
        Arrays.copyOf(seed, at),
        randomBytes(random, 1 + random.nextInt(16)),
        Arrays.copyOfRange(seed, at, seed.length));
  }

  private static Socket sendQuietly(Harness gateway, byte[] bytes) throws IOException {
    Socket socket = new Socket();
    socket.connect(gateway.address, 5_000);
    try {
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
    } catch (IOException closedByTheGateway) {
      // the gateway may close before everything is written; that is one of the outcomes
    }
    return socket;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do: the socket is going away either way
    }
  }
}

package io.auditgate.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** When the ingest cannot keep up or cannot store at all, the listener stops reading. */
@Timeout(60)
class BackpressureTest {
  private static final String TELEMETRY = "devices/device-1/telemetry";

  @TempDir Path dir;

  @Test
  void busyInMqtt311MeansNoAcknowledgementAndNoReadingUntilTheIngestAcceptsAgain()
      throws Exception {
    try (Harness gateway = Harness.plaintext(dir);
        RawClient client = gateway.connected(Packets.V311, "device-1", 30)) {
      gateway.ingest.busy();
      client.send(Packets.publish(Packets.V311, TELEMETRY, 1, 1, "{\"seq\":1}"));
      Harness.await("retried", Duration.ofSeconds(5), () -> gateway.ingest.requests().size() >= 3);

      client.send(Packets.pingReq(), Packets.publish(Packets.V311, TELEMETRY, 1, 2, "{\"seq\":2}"));

      assertThat(client.readWithin(Duration.ofMillis(500)))
          .as("no PUBACK for a message the log did not take, and no PINGRESP: nothing is read")
          .isEmpty();
      assertThat(gateway.ingest.requestBodies()).containsOnly("{\"seq\":1}");
      gateway.ingest.accept();

      RawClient.Packet first = client.read();
      RawClient.Packet pong = client.read();
      RawClient.Packet second = client.read();
      assertThat(List.of(first.type(), pong.type(), second.type()))
          .containsExactly(Packets.PUBACK, Packets.PINGRESP, Packets.PUBACK);
      assertThat(List.of(first.packetId(), second.packetId())).containsExactly(1, 2);
      assertThat(gateway.ingest.storedBodies()).containsExactly("{\"seq\":1}", "{\"seq\":2}");
      assertThat(gateway.metrics().busyEvents()).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void busyInMqtt5IsAnsweredWithQuotaExceededAndReadingPausesForTheRetryDelay() throws Exception {
    try (Harness gateway = Harness.plaintext(dir);
        RawClient client = gateway.connected(Packets.V5, "device-1", 30)) {
      gateway.ingest.busy(Duration.ofSeconds(1));
      client.send(Packets.publish(Packets.V5, TELEMETRY, 1, 1, "{\"seq\":1}"));

      RawClient.Packet refused = client.read();
      long refusedAt = System.nanoTime();
      gateway.ingest.accept();
      client.send(Packets.publish(Packets.V5, TELEMETRY, 1, 2, "{\"seq\":2}"));
      RawClient.Packet stored = client.read();
      long storedAfterMillis = (System.nanoTime() - refusedAt) / 1_000_000;

      assertThat(refused.at(2))
          .as("0x97 quota exceeded: not stored, not acknowledged")
          .isEqualTo(0x97);
      assertThat(stored.packetId()).isEqualTo(2);
      assertThat(stored.body()).as("success").hasSize(2);
      assertThat(storedAfterMillis)
          .as("the connection was not read for the retry delay")
          .isGreaterThanOrEqualTo(800);
      assertThat(gateway.ingest.storedBodies()).containsExactly("{\"seq\":2}");
    }
  }

  @Test
  void mqtt311ClientsGetAWindowOfReceiveMaximumPublishes() throws Exception {
    try (Harness gateway = Harness.settings().receiveMaximum(2).start(dir);
        RawClient client = gateway.connected(Packets.V311, "device-1", 30)) {
      gateway.ingest.hold();
      List<byte[]> publishes = new ArrayList<>();
      for (int id = 1; id <= 5; id++) {
        publishes.add(Packets.publish(Packets.V311, TELEMETRY, 1, id, "{\"seq\":" + id + "}"));
      }
      client.send(publishes.toArray(byte[][]::new));

      Harness.await(
          "two offered", Duration.ofSeconds(5), () -> gateway.ingest.requests().size() == 2);
      Thread.sleep(300);
      assertThat(gateway.ingest.requests()).as("the rest waits unread").hasSize(2);
      gateway.ingest.accept();

      List<Integer> acknowledged = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        acknowledged.add(client.read().packetId());
      }
      assertThat(acknowledged).containsExactly(1, 2, 3, 4, 5);
      assertThat(gateway.ingest.storedBodies()).hasSize(5);
    }
  }

  @Test
  void anMqtt5ClientExceedingTheReceiveMaximumIsDisconnected() throws Exception {
    try (Harness gateway = Harness.settings().receiveMaximum(2).start(dir);
        RawClient client = gateway.raw()) {
      client.send(Packets.connect(Packets.V5, "eager", "device-1", "secret-1", 30));
      assertThat(client.read().properties(2).get(0x21)).as("receive maximum").isEqualTo(2L);

      // QoS 2 messages count until PUBCOMP; these are never released.
      client.send(Packets.publish(Packets.V5, TELEMETRY, 2, 1, "{\"seq\":1}"));
      assertThat(client.read().type()).isEqualTo(Packets.PUBREC);
      client.send(Packets.publish(Packets.V5, TELEMETRY, 2, 2, "{\"seq\":2}"));
      assertThat(client.read().type()).isEqualTo(Packets.PUBREC);
      client.send(Packets.publish(Packets.V5, TELEMETRY, 2, 3, "{\"seq\":3}"));

      RawClient.Packet disconnect = client.read();
      assertThat(disconnect.type()).isEqualTo(Packets.DISCONNECT);
      assertThat(disconnect.at(0))
          .as("[MQTT-3.3.4-9] 0x93 receive maximum exceeded")
          .isEqualTo(0x93);
      assertThat(gateway.ingest.storedBodies()).hasSize(2);
    }
  }
}

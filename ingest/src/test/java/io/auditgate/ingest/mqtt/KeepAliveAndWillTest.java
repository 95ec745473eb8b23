package io.auditgate.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.ingest.IngestRequest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Keep-alive, connect timeout and will messages. */
@Timeout(60)
class KeepAliveAndWillTest {
  private static final String EVENTS = "devices/device-1/events";
  private static final String OFFLINE = "{\"event\":\"offline\"}";

  @TempDir Path dir;

  @Test
  void aSilentClientIsDisconnectedAfterOneAndAHalfTimesItsKeepAlive() throws Exception {
    try (Harness gateway = Harness.plaintext(dir);
        RawClient client = gateway.connected(Packets.V311, "device-1", 1)) {
      long connectedAt = System.nanoTime();

      assertThat(client.closedWithin(Duration.ofSeconds(5))).as("[MQTT-3.1.2-24]").isTrue();
      long silentMillis = (System.nanoTime() - connectedAt) / 1_000_000;
      assertThat(silentMillis).as("not before 1.5 × 1 s").isBetween(1_300L, 4_000L);
      gateway.awaitMetrics("counted", m -> m.closed("keep_alive_timeout") == 1);
    }
  }

  @Test
  void anMqtt5ClientIsToldKeepAliveTimeout() throws Exception {
    try (Harness gateway = Harness.plaintext(dir);
        RawClient client = gateway.connected(Packets.V5, "device-1", 1)) {
      RawClient.Packet disconnect = client.read();

      assertThat(disconnect.type()).isEqualTo(Packets.DISCONNECT);
      assertThat(disconnect.at(0)).as("0x8D keep alive timeout").isEqualTo(0x8D);
    }
  }

  @Test
  void pingsKeepAClientConnected() throws Exception {
    try (Harness gateway = Harness.plaintext(dir);
        RawClient client = gateway.connected(Packets.V311, "device-1", 1)) {
      for (int i = 0; i < 6; i++) {
        Thread.sleep(500);
        client.send(Packets.pingReq());
        assertThat(client.read().type()).isEqualTo(Packets.PINGRESP);
      }
      assertThat(gateway.metrics().clientsConnected()).as("still connected after 3 s").isEqualTo(1);
    }
  }

  @Test
  void aConnectionThatNeverSendsConnectIsClosedAfterTheConnectTimeout() throws Exception {
    try (Harness gateway = Harness.settings().connectTimeout(Duration.ofMillis(300)).start(dir);
        RawClient client = gateway.raw()) {
      assertThat(client.closedWithin(Duration.ofSeconds(5))).isTrue();
      gateway.awaitMetrics("counted", m -> m.refused("connect_timeout") == 1);
    }
  }

  @Test
  void aWillIsDeliveredAsADeviceEventWhenTheConnectionDrops() throws Exception {
    try (Harness gateway = Harness.plaintext(dir)) {
      try (RawClient client = gateway.raw()) {
        client.send(willing("mortal"));
        assertThat(client.read().at(1)).isZero();
      } // dropped without DISCONNECT

      // [MQTT-3.1.2-8]: published when the connection is closed other than by DISCONNECT.
      awaitWill(gateway, "the will");
      IngestRequest will = gateway.ingest.requests().get(0);
      assertThat(will.sourceTopic()).isEqualTo(EVENTS);
      assertThat(will.identity().deviceId()).isEqualTo("device-1");
      assertThat(gateway.metrics().willsPublished()).isEqualTo(1);
    }
  }

  @Test
  void aWillIsDeliveredWhenTheGatewayClosesTheConnection() throws Exception {
    try (Harness gateway = Harness.plaintext(dir);
        RawClient client = gateway.raw()) {
      client.send(willing("violator"));
      client.read();
      client.send(Packets.publish(Packets.V311, "devices/device-2/telemetry", 1, 1, "{}"));

      assertThat(client.closedWithin(Duration.ofSeconds(5))).isTrue();
      awaitWill(gateway, "the will");
    }
  }

  @Test
  void noWillIsPublishedAfterDisconnect() throws Exception {
    try (Harness gateway = Harness.plaintext(dir)) {
      try (RawClient client = gateway.raw()) {
        client.send(willing("polite"));
        client.read();
        client.send(Packets.disconnect());
        assertThat(client.closedWithin(Duration.ofSeconds(5))).isTrue();
      }
      gateway.awaitMetrics("closed", m -> m.closed("client_disconnect") == 1);
      Thread.sleep(200);

      assertThat(gateway.ingest.requests()).as("[MQTT-3.1.2-10] will discarded").isEmpty();
      assertThat(gateway.metrics().willsPublished()).isZero();
    }
  }

  @Test
  void anMqtt5WillWaitsOutItsDelayAndIsDroppedWhenTheClientReturns() throws Exception {
    byte[] sessionExpiry = Packets.intProperty(0x11, 60);
    byte[] willDelay = Packets.intProperty(0x18, 2);
    byte[] connect =
        Packets.connect(
            Packets.V5,
            Packets.utf8("returner"),
            false,
            "device-1",
            "secret-1",
            30,
            sessionExpiry,
            EVENTS,
            willDelay,
            OFFLINE);
    try (Harness gateway = Harness.plaintext(dir)) {
      try (RawClient first = gateway.raw()) {
        first.send(connect);
        first.read();
      }
      gateway.awaitMetrics("dropped", m -> m.clientsConnected() == 0);
      try (RawClient second = gateway.raw()) {
        second.send(connect);
        assertThat(second.read().at(0)).as("session present").isEqualTo(1);
        Thread.sleep(2_500);

        assertThat(gateway.ingest.requests()).as("[MQTT-3.1.3-9] will not sent").isEmpty();
      }
      // The second connection dropped too: this time nobody returns within the delay.
      awaitWill(gateway, "the delayed will");
    }
  }

  @Test
  void aWillOnAnyTopicButTheDevicesOwnEventsIsRefused() throws Exception {
    try (Harness gateway = Harness.plaintext(dir);
        RawClient otherDevice = gateway.raw();
        RawClient ownTelemetry = gateway.raw()) {
      otherDevice.send(willOn("devices/device-2/events"));
      ownTelemetry.send(willOn("devices/device-1/telemetry"));

      assertThat(otherDevice.read().at(1)).as("0x87 not authorized").isEqualTo(0x87);
      assertThat(ownTelemetry.read().at(1)).as("0x90 topic name invalid").isEqualTo(0x90);
    }
  }

  /** MQTT 3.1.1 CONNECT as device-1 with the offline event as will. */
  private static byte[] willing(String clientId) {
    return Packets.connect(
        Packets.V311, clientId, true, "device-1", "secret-1", 30, EVENTS, OFFLINE);
  }

  /** MQTT 5 CONNECT as device-1 with a will on {@code topic}. */
  private static byte[] willOn(String topic) {
    return Packets.connect(Packets.V5, "w", true, "device-1", "secret-1", 30, topic, OFFLINE);
  }

  private static void awaitWill(Harness gateway, String what) {
    Harness.await(
        what, Duration.ofSeconds(5), () -> gateway.ingest.storedBodies().contains(OFFLINE));
  }
}

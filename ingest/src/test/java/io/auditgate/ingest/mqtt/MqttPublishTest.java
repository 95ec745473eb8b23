package io.auditgate.ingest.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.ingest.DeviceIdentity;
import io.auditgate.core.ingest.IngestRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** PUBLISH at QoS 0, 1 and 2: acknowledged only once durable, in order, on the device's topics. */
@Timeout(60)
class MqttPublishTest {
  private static final String TELEMETRY = "devices/device-1/telemetry";

  @TempDir Path dir;
  private Harness gateway;

  @BeforeEach
  void start() {
    gateway = Harness.plaintext(dir);
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  /** What the log held at the moment the client learned its message was acknowledged. */
  private record AtAck(boolean durable, boolean inLog) {}

  @Test
  void aQos1PubackArrivesOnlyOnceTheRecordIsDurableForPahoV3() throws Exception {
    // [MQTT-4.3.2-2]: PUBACK means the receiver has taken ownership; here, the log made it durable.
    String body = "{\"metrics\":{\"temp_c\":21.5}}";
    AtomicReference<AtAck> atAck = new AtomicReference<>();
    CountDownLatch acknowledged = new CountDownLatch(1);
    MqttAsyncClient client = Paho.v3(gateway.tcp(), "durable-v3");
    try {
      client.setCallback(
          new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {}

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
              atAck.set(snapshot(body));
              acknowledged.countDown();
            }
          });
      client.connect(Paho.v3Options("device-1", "secret-1")).waitForCompletion(Paho.WAIT_MILLIS);
      gateway.ingest.hold();

      client.publish(TELEMETRY, body.getBytes(UTF_8), 1, false);

      Harness.await(
          "the publish reached the ingest",
          Duration.ofSeconds(5),
          () -> !gateway.ingest.requests().isEmpty());
      assertThat(acknowledged.await(500, TimeUnit.MILLISECONDS))
          .as("no PUBACK while the record is not in the log")
          .isFalse();
      gateway.ingest.accept();
      assertThat(acknowledged.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(atAck.get()).isEqualTo(new AtAck(true, true));
    } finally {
      Paho.closeQuietly(client);
    }
  }

  @Test
  void aQos1PubackArrivesOnlyOnceTheRecordIsDurableForPahoV5() throws Exception {
    String body = "{\"metrics\":{\"temp_c\":22.5}}";
    AtomicReference<AtAck> atAck = new AtomicReference<>();
    CountDownLatch acknowledged = new CountDownLatch(1);
    org.eclipse.paho.mqttv5.client.MqttAsyncClient client = Paho.v5(gateway.tcp(), "durable-v5");
    try {
      client.setCallback(
          new V5Callback() {
            @Override
            public void deliveryComplete(IMqttToken token) {
              atAck.set(snapshot(body));
              acknowledged.countDown();
            }
          });
      client.connect(Paho.v5Options("device-1", "secret-1")).waitForCompletion(Paho.WAIT_MILLIS);
      gateway.ingest.hold();

      IMqttToken token = client.publish(TELEMETRY, body.getBytes(UTF_8), 1, false);

      assertThat(acknowledged.await(500, TimeUnit.MILLISECONDS)).isFalse();
      gateway.ingest.accept();
      token.waitForCompletion(Paho.WAIT_MILLIS);
      assertThat(acknowledged.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(token.getReasonCodes()).containsExactly(0);
      assertThat(atAck.get()).isEqualTo(new AtAck(true, true));
    } finally {
      Paho.closeQuietly(client);
    }
  }

  @Test
  void qos0IsStoredWithTheAuthenticatedIdentityAndNeverAcknowledged() throws Exception {
    try (RawClient client = gateway.connected(Packets.V311, "device-1", 30)) {
      client.send(Packets.publish(Packets.V311, TELEMETRY, 0, 0, "{\"seq\":1}"));

      Harness.await(
          "stored", Duration.ofSeconds(5), () -> gateway.ingest.storedBodies().size() == 1);
      assertThat(client.readWithin(Duration.ofMillis(200)))
          .as("[MQTT-4.3.1-1] no response")
          .isEmpty();
    }
    IngestRequest request = gateway.ingest.requests().get(0);
    assertThat(request.identity().deviceId()).isEqualTo("device-1");
    assertThat(request.identity().method()).isEqualTo(DeviceIdentity.Method.PASSWORD);
    assertThat(request.transport()).isEqualTo(IngestRequest.Transport.MQTT);
    assertThat(request.sourceTopic()).isEqualTo(TELEMETRY);
    assertThat(gateway.metrics().publishesQos0()).isEqualTo(1);
  }

  @Test
  void pahoV3Qos2CompletesAndIsStoredOnce() throws Exception {
    MqttAsyncClient client = Paho.v3(gateway.tcp(), "qos2-v3");
    try {
      client.connect(Paho.v3Options("device-1", "secret-1")).waitForCompletion(Paho.WAIT_MILLIS);

      client
          .publish("devices/device-1/events", "{\"event\":1}".getBytes(UTF_8), 2, false)
          .waitForCompletion(Paho.WAIT_MILLIS);

      assertThat(gateway.ingest.storedBodies()).containsExactly("{\"event\":1}");
    } finally {
      Paho.closeQuietly(client);
    }
  }

  @Test
  void aQos2ResendWithTheSamePacketIdIsAnsweredButStoredOnce() throws Exception {
    try (RawClient client = gateway.connected(Packets.V311, "device-1", 30)) {
      byte[] original = Packets.publish(Packets.V311, TELEMETRY, 2, 7, "{\"seq\":7}");
      byte[] resend = duplicate(TELEMETRY, 7, "{\"seq\":7}");

      client.send(original);
      RawClient.Packet first = client.read();
      client.send(resend);
      RawClient.Packet second = client.read();
      client.send(Packets.pubRel(7));
      RawClient.Packet complete = client.read();

      // [MQTT-4.3.3-2]: PUBREC after storing, again for the duplicate, PUBCOMP after PUBREL.
      assertThat(List.of(first.type(), second.type(), complete.type()))
          .containsExactly(Packets.PUBREC, Packets.PUBREC, Packets.PUBCOMP);
      assertThat(List.of(first.packetId(), second.packetId(), complete.packetId())).containsOnly(7);
      assertThat(gateway.ingest.storedBodies()).containsExactly("{\"seq\":7}");
      assertThat(gateway.metrics().duplicatesQos2()).isEqualTo(1);
    }
  }

  @Test
  void aQos2ResendAfterAReconnectIsRecognisedThroughTheSession() throws Exception {
    byte[] connect =
        Packets.connect(Packets.V311, "resender", false, "device-1", "secret-1", 30, null, null);
    try (RawClient first = gateway.raw()) {
      first.send(connect);
      first.read();
      first.send(Packets.publish(Packets.V311, TELEMETRY, 2, 9, "{\"seq\":9}"));
      assertThat(first.read().type()).isEqualTo(Packets.PUBREC);
    } // the connection drops before PUBREL
    gateway.awaitMetrics("the first connection ended", m -> m.clientsConnected() == 0);
    try (RawClient second = gateway.raw()) {
      second.send(connect);
      assertThat(second.read().at(0)).as("session present").isEqualTo(1);

      second.send(duplicate(TELEMETRY, 9, "{\"seq\":9}"), Packets.pubRel(9));

      assertThat(second.read().type()).isEqualTo(Packets.PUBREC);
      assertThat(second.read().type()).isEqualTo(Packets.PUBCOMP);
    }
    assertThat(gateway.ingest.storedBodies()).containsExactly("{\"seq\":9}");
  }

  @Test
  void aPubrelForAnUnknownPacketIdGetsPubcompPacketIdentifierNotFound() throws Exception {
    try (RawClient client = gateway.connected(Packets.V5, "device-1", 30)) {
      client.send(Packets.pubRel(42));

      RawClient.Packet complete = client.read();
      assertThat(complete.type()).isEqualTo(Packets.PUBCOMP);
      assertThat(complete.packetId()).isEqualTo(42);
      assertThat(complete.at(2)).as("MQTT 5 0x92 packet identifier not found").isEqualTo(0x92);
    }
  }

  @Test
  void acknowledgementsKeepTheOrderOfThePublishes() throws Exception {
    try (RawClient client = gateway.connected(Packets.V311, "device-1", 30)) {
      gateway.ingest.hold();
      client.send(
          Packets.publish(Packets.V311, TELEMETRY, 1, 1, "{\"seq\":1}"),
          Packets.publish(Packets.V311, TELEMETRY, 1, 2, "invalid, answered at once"));

      // The second is answered by the ingest first, but its PUBACK waits [MQTT-4.6.0-2].
      Harness.await(
          "both reached the ingest",
          Duration.ofSeconds(5),
          () -> gateway.ingest.requests().size() == 2);
      assertThat(client.readWithin(Duration.ofMillis(300))).isEmpty();
      gateway.ingest.accept();

      assertThat(client.read().packetId()).isEqualTo(1);
      assertThat(client.read().packetId()).isEqualTo(2);
    }
  }

  @Test
  void anInvalidPayloadIsDeadLetteredAndAnsweredWithPayloadFormatInvalidInMqtt5() throws Exception {
    try (RawClient client = gateway.connected(Packets.V5, "device-1", 30)) {
      client.send(Packets.publish(Packets.V5, TELEMETRY, 1, 3, "invalid json"));

      RawClient.Packet ack = client.read();
      assertThat(ack.type()).isEqualTo(Packets.PUBACK);
      assertThat(ack.at(2)).as("0x99 payload format invalid").isEqualTo(0x99);
      assertThat(ack.properties(3).get(0x1F)).as("reason string").isEqualTo("invalid_json");
    }
    assertThat(gateway.ingest.deadLetterBodies()).containsExactly("invalid json");
    assertThat(gateway.metrics().rejected("invalid_json")).isEqualTo(1);
  }

  @Test
  void anInvalidPayloadIsDeadLetteredAndAcknowledgedInMqtt311() throws Exception {
    try (RawClient client = gateway.connected(Packets.V311, "device-1", 30)) {
      client.send(Packets.publish(Packets.V311, TELEMETRY, 1, 3, "invalid json"));

      RawClient.Packet ack = client.read();
      assertThat(ack.type()).isEqualTo(Packets.PUBACK);
      assertThat(ack.body()).as("MQTT 3.1.1 PUBACK: packet id only").hasSize(2);
      assertThat(gateway.ingest.deadLetterBodies())
          .as("acknowledged because it is durable as a dead letter")
          .containsExactly("invalid json");
    }
  }

  @Test
  void publishingUnderAnotherDevicesIdIsRefusedAndClosesAfterThreeViolationsInMqtt5()
      throws Exception {
    try (RawClient client = gateway.connected(Packets.V5, "device-1", 30)) {
      client.send(Packets.publish(Packets.V5, "devices/device-2/telemetry", 1, 1, "{}"));
      RawClient.Packet other = client.read();
      client.send(Packets.publish(Packets.V5, "devices/device-1/unknown", 1, 2, "{}"));
      RawClient.Packet unknown = client.read();
      client.send(Packets.publish(Packets.V5, "devices/device-2/telemetry", 0, 0, "{}"));
      RawClient.Packet disconnect = client.read();

      assertThat(other.at(2)).as("0x87 not authorized").isEqualTo(0x87);
      assertThat(unknown.at(2)).as("0x90 topic name invalid").isEqualTo(0x90);
      assertThat(disconnect.type()).isEqualTo(Packets.DISCONNECT);
      assertThat(disconnect.at(0)).as("third violation: DISCONNECT 0x87").isEqualTo(0x87);
      assertThat(client.closedWithin(Duration.ofSeconds(5))).isTrue();
    }
    assertThat(gateway.ingest.requests()).as("nothing reached the ingest").isEmpty();
    MqttMetrics metrics = gateway.awaitMetrics("closed", m -> m.closed("not_authorized") == 1);
    assertThat(metrics.violations()).isEqualTo(3);
    assertThat(metrics.rejected("not_authorized")).isEqualTo(2);
    assertThat(metrics.rejected("topic_invalid")).isEqualTo(1);
  }

  @Test
  void publishingUnderAnotherDevicesIdAtQos1ClosesAnMqtt311Connection() throws Exception {
    try (RawClient client = gateway.connected(Packets.V311, "device-1", 30)) {
      client.send(Packets.publish(Packets.V311, "devices/device-2/telemetry", 1, 1, "{}"));

      // [MQTT-3.3.5-2]: acknowledge positively or close; a PUBACK would claim it was stored.
      assertThat(client.closedWithin(Duration.ofSeconds(5))).isTrue();
    }
    assertThat(gateway.ingest.requests()).isEmpty();
    gateway.awaitMetrics("counted", m -> m.violations() == 1 && m.closed("not_authorized") == 1);
  }

  @Test
  void theTopicDoesNotDecideTheDevice() throws Exception {
    // device-2 authenticates; devices/device-2/... is its own, devices/device-1/... is not.
    try (RawClient client = gateway.connected(Packets.V5, "device-2", 30)) {
      client.send(Packets.publish(Packets.V5, TELEMETRY, 1, 1, "{\"spoof\":true}"));
      assertThat(client.read().at(2)).isEqualTo(0x87);
      client.send(Packets.publish(Packets.V5, "devices/device-2/firmware/state", 1, 2, "{}"));
      assertThat(client.read().body()).as("success, packet id only").hasSize(2);
    }
    assertThat(gateway.ingest.requests()).hasSize(1);
    assertThat(gateway.ingest.requests().get(0).identity().deviceId()).isEqualTo("device-2");
  }

  @Test
  void aTraceparentUserPropertyBecomesTheTraceId() throws Exception {
    org.eclipse.paho.mqttv5.client.MqttAsyncClient client = Paho.v5(gateway.tcp(), "tracer");
    try {
      client.connect(Paho.v5Options("device-1", "secret-1")).waitForCompletion(Paho.WAIT_MILLIS);
      org.eclipse.paho.mqttv5.common.MqttMessage message =
          new org.eclipse.paho.mqttv5.common.MqttMessage("{}".getBytes(UTF_8));
      message.setQos(1);
      MqttProperties properties = new MqttProperties();
      properties.setUserProperties(
          List.of(
              new UserProperty(
                  "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")));
      message.setProperties(properties);

      client.publish(TELEMETRY, message).waitForCompletion(Paho.WAIT_MILLIS);

      assertThat(gateway.ingest.requests().get(0).traceId())
          .contains("4bf92f3577b34da6a3ce929d0e0e4736");
    } finally {
      Paho.closeQuietly(client);
    }
  }

  /** A QoS 2 PUBLISH resent with the DUP flag [MQTT-3.3.1-1]. */
  private static byte[] duplicate(String topic, int packetId, String payload) {
    return Packets.publishRaw(
        Packets.V311, Packets.utf8(topic), 2, true, packetId, Packets.utf8(payload));
  }

  private AtAck snapshot(String body) {
    long durableEnd = gateway.ingest.durableEndOffset();
    boolean durable = gateway.ingest.durableOffset(body).map(o -> o < durableEnd).orElse(false);
    return new AtAck(durable, gateway.ingest.storedBodies().contains(body));
  }

  /** A Paho 5 callback that ignores what a test does not look at. */
  abstract static class V5Callback implements org.eclipse.paho.mqttv5.client.MqttCallback {
    @Override
    public void disconnected(MqttDisconnectResponse response) {}

    @Override
    public void mqttErrorOccurred(MqttException exception) {}

    @Override
    public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {}

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}

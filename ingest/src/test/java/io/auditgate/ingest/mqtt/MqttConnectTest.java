package io.auditgate.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** CONNECT and CONNACK, with real Paho clients and raw sockets over loopback. */
@Timeout(60)
class MqttConnectTest {
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

  @Test
  void pahoV3ConnectsWithItsPassword() throws Exception {
    MqttAsyncClient client = Paho.v3(gateway.tcp(), "paho-v3");
    try {
      IMqttToken token = client.connect(Paho.v3Options("device-1", "secret-1"));
      token.waitForCompletion(Paho.WAIT_MILLIS);

      assertThat(client.isConnected()).isTrue();
      assertThat(token.getSessionPresent()).as("[MQTT-3.2.2-1] clean session").isFalse();
      assertThat(gateway.metrics().clientsConnected()).isEqualTo(1);
    } finally {
      Paho.closeQuietly(client);
    }
  }

  @Test
  void pahoV5ConnectsAndLearnsTheGatewaysLimitsFromConnack() throws Exception {
    org.eclipse.paho.mqttv5.client.MqttAsyncClient client = Paho.v5(gateway.tcp(), "paho-v5");
    try {
      org.eclipse.paho.mqttv5.client.IMqttToken token =
          client.connect(Paho.v5Options("device-1", "secret-1"));
      token.waitForCompletion(Paho.WAIT_MILLIS);

      assertThat(client.isConnected()).isTrue();
      // MQTT 5 section 3.2.2.3.3 and 3.2.2.3.6: the server announces what it accepts.
      assertThat(token.getResponseProperties().getReceiveMaximum()).isEqualTo(32);
      assertThat(token.getResponseProperties().getMaximumPacketSize()).isEqualTo(65L * 1024);
    } finally {
      Paho.closeQuietly(client);
    }
  }

  @Test
  void aWrongPasswordIsRefusedWithBadUserNameOrPassword() throws Exception {
    // MQTT 3.1.1 table 3.1: 0x04; MQTT 5 table 3-1: 0x86; then the connection is closed
    // [MQTT-3.2.2-5].
    MqttAsyncClient v3 = Paho.v3(gateway.tcp(), "bad-v3");
    org.eclipse.paho.mqttv5.client.MqttAsyncClient v5 = Paho.v5(gateway.tcp(), "bad-v5");
    try {
      MqttException v3Refusal =
          catchThrowableOfType(
              MqttException.class,
              () -> v3.connect(Paho.v3Options("device-1", "wrong")).waitForCompletion(10_000));
      org.eclipse.paho.mqttv5.common.MqttException v5Refusal =
          catchThrowableOfType(
              org.eclipse.paho.mqttv5.common.MqttException.class,
              () -> v5.connect(Paho.v5Options("device-1", "wrong")).waitForCompletion(10_000));

      assertThat(v3Refusal.getReasonCode()).isEqualTo(0x04);
      assertThat(v5Refusal.getReasonCode()).isEqualTo(0x86);
      assertThat(gateway.metrics().refused("bad_credentials")).isEqualTo(2);
      assertThat(gateway.metrics().clientsConnected()).isZero();
    } finally {
      Paho.closeQuietly(v3);
      Paho.closeQuietly(v5);
    }
  }

  @Test
  void noCredentialsAreRefusedAsNotAuthorized() throws Exception {
    try (RawClient v3 = gateway.raw();
        RawClient v5 = gateway.raw()) {
      v3.send(Packets.connect(Packets.V311, "nobody", null, null, 30));
      v5.send(Packets.connect(Packets.V5, "nobody", null, null, 30));

      assertThat(v3.read().at(1)).as("MQTT 3.1.1 0x05 not authorized").isEqualTo(0x05);
      assertThat(v5.read().at(1)).as("MQTT 5 0x87 not authorized").isEqualTo(0x87);
      assertThat(v3.closedWithin(Duration.ofSeconds(5))).as("[MQTT-3.2.2-5]").isTrue();
      assertThat(v5.closedWithin(Duration.ofSeconds(5))).isTrue();
    }
    assertThat(gateway.metrics().refused("not_authorized")).isEqualTo(2);
  }

  @Test
  void anUnsupportedProtocolLevelGetsReturnCode1AndIsClosed() throws Exception {
    try (RawClient client = gateway.raw()) {
      client.send(Packets.connect(6, "future", "device-1", "secret-1", 30));

      RawClient.Packet connAck = client.read();
      assertThat(connAck.type()).isEqualTo(Packets.CONNACK);
      assertThat(connAck.at(1)).as("[MQTT-3.1.2-2] unacceptable protocol level").isEqualTo(0x01);
      assertThat(client.closedWithin(Duration.ofSeconds(5))).isTrue();
    }
    assertThat(gateway.metrics().refused("unsupported_protocol")).isEqualTo(1);
  }

  @Test
  void mqtt31IsNotSpokenAndGetsReturnCode1() throws Exception {
    // MQTT 3.1 ("MQIsdp", level 3) is older than what the gateway supports.
    Packets.Writer body = new Packets.Writer().string("MQIsdp").u8(3).u8(0xC2).u16(30);
    body.string("old").string("device-1").string("secret-1");
    try (RawClient client = gateway.raw()) {
      client.send(Packets.packet(0x10, body));

      assertThat(client.read().at(1)).isEqualTo(0x01);
      assertThat(client.closedWithin(Duration.ofSeconds(5))).isTrue();
    }
  }

  @Test
  void anEmptyClientIdNeedsACleanSessionInMqtt311() throws Exception {
    try (RawClient persistent = gateway.raw();
        RawClient clean = gateway.raw()) {
      persistent.send(
          Packets.connect(Packets.V311, "", false, "device-1", "secret-1", 30, null, null));
      clean.send(Packets.connect(Packets.V311, "", true, "device-2", "secret-2", 30, null, null));

      assertThat(persistent.read().at(1)).as("[MQTT-3.1.3-8] identifier rejected").isEqualTo(0x02);
      assertThat(clean.read().at(1)).as("[MQTT-3.1.3-6] accepted, id assigned").isZero();
    }
    assertThat(gateway.metrics().refused("identifier_rejected")).isEqualTo(1);
  }

  @Test
  void anEmptyClientIdIsAssignedOneInMqtt5() throws Exception {
    try (RawClient client = gateway.raw()) {
      client.send(Packets.connect(Packets.V5, "", "device-1", "secret-1", 30));

      RawClient.Packet connAck = client.read();
      assertThat(connAck.at(1)).isZero();
      Map<Integer, Object> properties = connAck.properties(2);
      // [MQTT-3.2.2-16]: the CONNACK carries the Assigned Client Identifier (0x12).
      assertThat((String) properties.get(0x12)).startsWith("auditgate-gw-test-");
      assertThat(properties.get(0x21)).as("receive maximum").isEqualTo(32L);
      assertThat(properties.get(0x27)).as("maximum packet size").isEqualTo(65L * 1024);
      assertThat(properties.get(0x2A)).as("no shared subscriptions").isEqualTo(0L);
    }
  }

  @Test
  void aKeptSessionIsReportedPresentAndACleanOneIsNot() throws Exception {
    byte[] persistent =
        Packets.connect(Packets.V311, "keeper", false, "device-1", "secret-1", 30, null, null);
    try (RawClient first = gateway.raw()) {
      first.send(persistent);
      assertThat(first.read().at(0)).as("[MQTT-3.2.2-3] no session yet").isZero();
      first.send(Packets.disconnect());
      assertThat(first.closedWithin(Duration.ofSeconds(5))).isTrue();
    }
    gateway.awaitMetrics("the first connection ended", m -> m.clientsConnected() == 0);
    try (RawClient second = gateway.raw()) {
      second.send(persistent);
      assertThat(second.read().at(0)).as("[MQTT-3.2.2-2] session present").isEqualTo(1);
    }
    gateway.awaitMetrics("the second connection ended", m -> m.clientsConnected() == 0);
    try (RawClient third = gateway.raw()) {
      third.send(
          Packets.connect(Packets.V311, "keeper", true, "device-1", "secret-1", 30, null, null));
      assertThat(third.read().at(0)).as("[MQTT-3.2.2-1] clean session").isZero();
    }
  }

  @Test
  void anotherDeviceUsingTheSameClientIdNeitherResumesNorTakesOverTheSession() throws Exception {
    try (RawClient owner = gateway.raw();
        RawClient intruder = gateway.raw()) {
      owner.send(
          Packets.connect(Packets.V311, "shared", false, "device-1", "secret-1", 30, null, null));
      assertThat(owner.read().at(1)).isZero();
      intruder.send(
          Packets.connect(Packets.V311, "shared", false, "device-2", "secret-2", 30, null, null));

      assertThat(intruder.read().at(0)).as("no session present for device-2").isZero();
      owner.send(Packets.pingReq());
      assertThat(owner.read().type()).as("device-1 still connected").isEqualTo(Packets.PINGRESP);
    }
  }

  @Test
  void aSecondConnectionWithTheSameClientIdTakesOverTheSession() throws Exception {
    try (RawClient first = gateway.raw();
        RawClient second = gateway.raw()) {
      first.send(Packets.connect(Packets.V5, "twin", "device-1", "secret-1", 30));
      assertThat(first.read().at(1)).isZero();
      second.send(Packets.connect(Packets.V5, "twin", "device-1", "secret-1", 30));
      assertThat(second.read().at(1)).isZero();

      // [MQTT-3.1.4-2]; MQTT 5 tells the old client why: DISCONNECT 0x8E session taken over.
      RawClient.Packet disconnect = first.read();
      assertThat(disconnect.type()).isEqualTo(Packets.DISCONNECT);
      assertThat(disconnect.at(0)).isEqualTo(0x8E);
      assertThat(first.closedWithin(Duration.ofSeconds(5))).isTrue();
      second.send(Packets.pingReq());
      assertThat(second.read().type()).isEqualTo(Packets.PINGRESP);
    }
    gateway.awaitMetrics("the takeover counted", m -> m.closed("session_taken_over") == 1);
  }

  @Test
  void aFirstPacketOtherThanConnectClosesTheConnection() throws Exception {
    try (RawClient client = gateway.raw()) {
      client.send(Packets.pingReq());

      assertThat(client.closedWithin(Duration.ofSeconds(5))).as("[MQTT-3.1.0-1]").isTrue();
    }
    gateway.awaitMetrics("the refusal counted", m -> m.refused("protocol_error") == 1);
  }

  @Test
  void aSecondConnectIsAProtocolViolation() throws Exception {
    try (RawClient client = gateway.connected(Packets.V5, "device-1", 30)) {
      client.send(Packets.connect(Packets.V5, "device-1", "device-1", "secret-1", 30));

      RawClient.Packet disconnect = client.read();
      assertThat(disconnect.type()).as("[MQTT-3.1.0-2]").isEqualTo(Packets.DISCONNECT);
      assertThat(disconnect.at(0)).as("protocol error").isEqualTo(0x82);
      assertThat(client.closedWithin(Duration.ofSeconds(5))).isTrue();
    }
  }

  @Test
  void aSessionExpiryAboveTheMaximumIsReducedAndSaidSo() throws Exception {
    byte[] forever = Packets.intProperty(0x11, 0xFFFF_FFFFL);
    try (RawClient client = gateway.raw()) {
      client.send(
          Packets.connect(
              Packets.V5,
              Packets.utf8("forever"),
              false,
              "device-1",
              "secret-1",
              30,
              forever,
              null,
              new byte[0],
              null));

      // MQTT 5 section 3.2.2.3.2: the server's session expiry is the one that applies.
      assertThat(client.read().properties(2).get(0x11)).isEqualTo(3_600L);
    }
  }

  @Test
  void stoppingTellsMqtt5ClientsTheServerIsShuttingDown() throws Exception {
    try (RawClient client = gateway.connected(Packets.V5, "device-1", 30)) {
      gateway.listener.stop();

      RawClient.Packet disconnect = client.read();
      assertThat(disconnect.type()).isEqualTo(Packets.DISCONNECT);
      assertThat(disconnect.at(0)).as("0x8B server shutting down").isEqualTo(0x8B);
      assertThat(client.closedWithin(Duration.ofSeconds(5))).isTrue();
    }
    assertThat(gateway.ingest.requests()).as("no will for a shutdown").isEmpty();
  }

  @Test
  void pingReqIsAnsweredWithPingResp() throws Exception {
    try (RawClient client = gateway.connected(Packets.V311, "device-1", 30)) {
      client.send(Packets.pingReq());

      assertThat(client.read().type()).as("[MQTT-3.12.4-1]").isEqualTo(Packets.PINGRESP);
    }
  }
}

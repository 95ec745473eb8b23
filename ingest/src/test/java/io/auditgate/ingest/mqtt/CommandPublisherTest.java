package io.auditgate.ingest.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SUBSCRIBE to the device's own commands, and commands sent through {@link CommandPublisher}. */
@Timeout(60)
class CommandPublisherTest {
  private static final String COMMANDS = "devices/device-1/commands/#";

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

  private record Arrived(String topic, String payload, int qos) {}

  @Test
  void aSubscribedMqtt5DeviceReceivesACommandAndItsPubackCompletesIt() throws Exception {
    BlockingQueue<Arrived> arrived = new LinkedBlockingQueue<>();
    org.eclipse.paho.mqttv5.client.MqttAsyncClient client = Paho.v5(gateway.tcp(), "commanded");
    try {
      client.setCallback(
          new MqttPublishTest.V5Callback() {
            @Override
            public void messageArrived(
                String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
              arrived.add(arrived(topic, message.getPayload(), message.getQos()));
            }
          });
      client.connect(Paho.v5Options("device-1", "secret-1")).waitForCompletion(Paho.WAIT_MILLIS);
      IMqttToken subscribed = client.subscribe(COMMANDS, 1);
      subscribed.waitForCompletion(Paho.WAIT_MILLIS);
      assertThat(subscribed.getReasonCodes()).as("granted QoS 1").containsExactly(1);

      CommandOutcome outcome =
          command("device-1", "reboot", "{\"delay_s\":5}", CommandPublisher.Qos.AT_LEAST_ONCE);

      assertThat(outcome).isEqualTo(new CommandOutcome.Acknowledged(1));
      assertThat(arrived.poll(5, TimeUnit.SECONDS))
          .isEqualTo(new Arrived("devices/device-1/commands/reboot", "{\"delay_s\":5}", 1));
      assertThat(gateway.metrics().commandsSent()).isEqualTo(1);
    } finally {
      Paho.closeQuietly(client);
    }
  }

  @Test
  void anMqtt311DeviceReceivesAQos0Command() throws Exception {
    BlockingQueue<Arrived> arrived = new LinkedBlockingQueue<>();
    MqttAsyncClient client = Paho.v3(gateway.tcp(), "commanded-v3");
    try {
      client.setCallback(
          new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
              arrived.add(arrived(topic, message.getPayload(), message.getQos()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
          });
      client.connect(Paho.v3Options("device-1", "secret-1")).waitForCompletion(Paho.WAIT_MILLIS);
      client.subscribe("devices/device-1/commands/ota/+", 0).waitForCompletion(Paho.WAIT_MILLIS);

      CommandOutcome outcome =
          command("device-1", "ota/start", "{}", CommandPublisher.Qos.AT_LEAST_ONCE);

      assertThat(outcome)
          .as("the subscription granted QoS 0 only")
          .isEqualTo(new CommandOutcome.Sent(1));
      assertThat(arrived.poll(5, TimeUnit.SECONDS))
          .isEqualTo(new Arrived("devices/device-1/commands/ota/start", "{}", 0));
    } finally {
      Paho.closeQuietly(client);
    }
  }

  @Test
  void subscribingOutsideTheOwnCommandsIsRefusedPerFilter() throws Exception {
    String[] filters = {
      "devices/device-2/commands/#", // another device
      "devices/device-1/#", // more than the commands
      COMMANDS,
      "devices/device-1/commands/#/x", // invalid: # not last [MQTT-4.7.1-2]
      "$share/group/devices/device-1/commands/#" // shared subscriptions are not offered
    };
    try (RawClient v5 = gateway.connected(Packets.V5, "device-1", 30);
        RawClient v3 = gateway.connected(Packets.V311, "device-2", 30)) {
      v5.send(Packets.subscribe(Packets.V5, 1, 2, filters));
      v3.send(Packets.subscribe(Packets.V311, 1, 2, "devices/device-1/#", COMMANDS));

      RawClient.Packet v5Ack = v5.read();
      RawClient.Packet v3Ack = v3.read();
      assertThat(v5Ack.type()).isEqualTo(Packets.SUBACK);
      // [MQTT-3.8.4-5]: one code per filter, in order; QoS 2 asked, QoS 1 granted [MQTT-3.8.4-6].
      assertThat(codes(v5Ack, 3)).containsExactly(0x87, 0x87, 0x01, 0x8F, 0x9E);
      assertThat(codes(v3Ack, 2)).as("MQTT 3.1.1 failure is 0x80").containsExactly(0x80, 0x80);
    }
    assertThat(gateway.awaitMetrics("counted", m -> m.violations() == 4).violations()).isEqualTo(4);
  }

  @Test
  void unsubscribingAnswersPerFilterInMqtt5() throws Exception {
    try (RawClient client = gateway.connected(Packets.V5, "device-1", 30)) {
      client.send(Packets.subscribe(Packets.V5, 1, 1, COMMANDS));
      client.read();
      client.send(
          Packets.unsubscribe(
              Packets.V5,
              2,
              COMMANDS,
              "devices/device-1/commands/never",
              "devices/device-2/commands/#"));

      RawClient.Packet ack = client.read();
      assertThat(ack.type()).isEqualTo(Packets.UNSUBACK);
      assertThat(codes(ack, 3))
          .as("success, no subscription existed, not authorized")
          .containsExactly(0x00, 0x11, 0x87);
      assertThat(command("device-1", CommandPublisher.Qos.AT_MOST_ONCE))
          .isEqualTo(new CommandOutcome.NotSubscribed());
    }
  }

  @Test
  void commandsToAbsentOrUnsubscribedDevicesAreOutcomesNotErrors() throws Exception {
    assertThat(command("device-9", CommandPublisher.Qos.AT_MOST_ONCE))
        .isEqualTo(new CommandOutcome.NotConnected());
    try (RawClient client = gateway.connected(Packets.V311, "device-1", 30)) {
      assertThat(command("device-1", CommandPublisher.Qos.AT_LEAST_ONCE))
          .isEqualTo(new CommandOutcome.NotSubscribed());
    }
    CommandPublisher commands = gateway.listener.commands();
    byte[] empty = new byte[0];
    assertThatThrownBy(
            () -> commands.publish("device-1", "a/#", empty, CommandPublisher.Qos.AT_MOST_ONCE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aQos1CommandIsLostWhenTheConnectionDropsBeforeThePuback() throws Exception {
    RawClient client = gateway.connected(Packets.V311, "device-1", 30);
    client.send(Packets.subscribe(Packets.V311, 1, 1, COMMANDS));
    client.read();

    CompletableFuture<CommandOutcome> outcome =
        gateway
            .listener
            .commands()
            .publish("device-1", "reboot", new byte[0], CommandPublisher.Qos.AT_LEAST_ONCE)
            .toCompletableFuture();
    RawClient.Packet command = client.read();
    assertThat(command.type()).isEqualTo(Packets.PUBLISH);
    assertThat(command.flags() >> 1).as("QoS 1").isEqualTo(1);
    client.close();

    assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo(new CommandOutcome.Lost());
  }

  @Test
  void aResumedSessionGetsItsUnacknowledgedQos1CommandAgainWithDupSet() throws Exception {
    // [MQTT-4.4.0-1] on reconnect with a kept session the server resends unacknowledged PUBLISH
    // packets with their original packet identifiers; [MQTT-3.3.1-1] with DUP set.
    RawClient first = gateway.raw();
    first.send(
        Packets.connect(Packets.V311, "keeper", false, "device-1", "secret-1", 30, null, null));
    assertThat(first.read().type()).isEqualTo(Packets.CONNACK);
    first.send(Packets.subscribe(Packets.V311, 1, 1, COMMANDS));
    first.read();
    CompletableFuture<CommandOutcome> outcome =
        gateway
            .listener
            .commands()
            .publish(
                "device-1", "reboot", "now".getBytes(UTF_8), CommandPublisher.Qos.AT_LEAST_ONCE)
            .toCompletableFuture();
    RawClient.Packet sent = first.read();
    assertThat(sent.flags() & 0x08).as("DUP on the first delivery").isZero();
    first.close(); // gone before its PUBACK

    assertThat(outcome).as("the session is kept, so the command is not lost yet").isNotDone();
    try (RawClient second = gateway.raw()) {
      second.send(
          Packets.connect(Packets.V311, "keeper", false, "device-1", "secret-1", 30, null, null));
      RawClient.Packet connAck = second.read();
      assertThat(connAck.at(0)).as("session present").isEqualTo(1);
      RawClient.Packet again = second.read();
      assertThat(again.type()).isEqualTo(Packets.PUBLISH);
      assertThat(again.flags() & 0x08).as("DUP on the resend").isEqualTo(0x08);
      assertThat(again.body()).as("same topic, packet id and payload").isEqualTo(sent.body());
      int topicLength = (again.at(0) << 8) | again.at(1);
      second.send(Packets.pubAck((again.at(2 + topicLength) << 8) | again.at(3 + topicLength)));

      assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo(new CommandOutcome.Acknowledged(1));
    }
  }

  @Test
  void anUnacknowledgedCommandIsLostWhenItsSessionEndsWithACleanStart() throws Exception {
    RawClient first = gateway.raw();
    first.send(
        Packets.connect(Packets.V311, "keeper", false, "device-1", "secret-1", 30, null, null));
    first.read();
    first.send(Packets.subscribe(Packets.V311, 1, 1, COMMANDS));
    first.read();
    CompletableFuture<CommandOutcome> outcome =
        gateway
            .listener
            .commands()
            .publish("device-1", "reboot", new byte[0], CommandPublisher.Qos.AT_LEAST_ONCE)
            .toCompletableFuture();
    first.read();
    first.close();

    try (RawClient fresh = gateway.raw()) {
      fresh.send(
          Packets.connect(Packets.V311, "keeper", true, "device-1", "secret-1", 30, null, null));
      assertThat(fresh.read().at(0)).as("no session present").isZero();
      assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo(new CommandOutcome.Lost());
    }
  }

  @Test
  void aRawPubackCompletesAQos1Command() throws Exception {
    try (RawClient client = gateway.connected(Packets.V311, "device-1", 30)) {
      client.send(Packets.subscribe(Packets.V311, 1, 1, COMMANDS));
      client.read();

      CompletableFuture<CommandOutcome> outcome =
          gateway
              .listener
              .commands()
              .publish("device-1", "reboot", new byte[0], CommandPublisher.Qos.AT_LEAST_ONCE)
              .toCompletableFuture();
      RawClient.Packet command = client.read();
      int topicLength = (command.at(0) << 8) | command.at(1);
      int packetId = (command.at(2 + topicLength) << 8) | command.at(3 + topicLength);
      client.send(Packets.pubAck(packetId));

      assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo(new CommandOutcome.Acknowledged(1));
    }
  }

  private CommandOutcome command(String deviceId, CommandPublisher.Qos qos) throws Exception {
    return command(deviceId, "x", "", qos);
  }

  private CommandOutcome command(
      String deviceId, String name, String payload, CommandPublisher.Qos qos) throws Exception {
    return gateway
        .listener
        .commands()
        .publish(deviceId, name, payload.getBytes(UTF_8), qos)
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private static Arrived arrived(String topic, byte[] payload, int qos) {
    return new Arrived(topic, new String(payload, UTF_8), qos);
  }

  private static int[] codes(RawClient.Packet ack, int from) {
    int[] codes = new int[ack.body().length - from];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = ack.at(from + i);
    }
    return codes;
  }
}

package io.auditgate.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.config.DataSize;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed and hostile input gets a protocol-correct refusal and a counter; no exception reaches
 * Netty's default handler and nothing is buffered beyond the limits.
 */
@Timeout(60)
class HostileInputTest {
  private static final String TELEMETRY = "devices/device-1/telemetry";

  @TempDir Path dir;
  private LogWatch logs;

  @BeforeEach
  void watch() {
    logs = new LogWatch();
  }

  @AfterEach
  void nothingEscaped() {
    try {
      assertThat(logs.warnings()).as("warnings from Netty or the listener").isEmpty();
    } finally {
      logs.close();
    }
  }

  @Test
  void garbageBytesAreClosedAtTheFirstByteAndCounted() throws Exception {
    try (Harness gateway = Harness.plaintext(dir);
        RawClient client = gateway.raw()) {
      // 'G' reads as a PUBACK announcing 69 bytes; the gateway does not wait for them.
      client.send("GET / HTTP/1.1\r\nHost: gateway\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

      assertThat(client.closedWithoutAnswerWithin(Duration.ofSeconds(2))).isTrue();
      MqttMetrics metrics = gateway.awaitMetrics("closed", m -> m.connectionsOpen() == 0);
      assertThat(metrics.refused("protocol_error")).as("[MQTT-3.1.0-1]").isEqualTo(1);
      assertThat(metrics.unexpectedErrors()).isZero();
    }
  }

  @Test
  void aFirstPacketThatIsNotConnectButDecodesIsClosedToo() throws Exception {
    try (Harness gateway = Harness.plaintext(dir);
        RawClient client = gateway.raw()) {
      client.send(Packets.publish(Packets.V311, TELEMETRY, 0, 0, "{}"));

      assertThat(client.closedWithoutAnswerWithin(Duration.ofSeconds(2))).isTrue();
      assertThat(gateway.ingest.requests()).isEmpty();
    }
  }

  @Test
  void aTruncatedConnectIsClosedByTheConnectTimeout() throws Exception {
    byte[] connect = Packets.connect(Packets.V311, "cut", "device-1", "secret-1", 30);
    try (Harness gateway = Harness.settings().connectTimeout(Duration.ofMillis(500)).start(dir);
        RawClient client = gateway.raw()) {
      client.send(Arrays.copyOf(connect, connect.length / 2));

      assertThat(client.closedWithoutAnswerWithin(Duration.ofSeconds(5))).isTrue();
      gateway.awaitMetrics("counted", m -> m.refused("connect_timeout") == 1);
    }
  }

  @Test
  void aConnectWithAnInvalidUtf8ClientIdIsClosedWithoutConnack() throws Exception {
    byte[][] invalid = {
      {'a', (byte) 0xC3, '('}, // a lead byte followed by no continuation byte
      {(byte) 0xC0, (byte) 0xAF}, // an overlong encoding of '/'
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // an encoded UTF-16 surrogate
      {'a', 0, 'b'} // U+0000 [MQTT-1.5.3-2]
    };
    try (Harness gateway = Harness.plaintext(dir)) {
      for (byte[] clientId : invalid) {
        try (RawClient client = gateway.raw()) {
          client.send(
              Packets.connectWithRawClientId(
                  Packets.V311, clientId, true, "device-1", "secret-1", 30, null, null));

          // [MQTT-1.5.3-1]: ill-formed UTF-8 closes the connection.
          assertThat(client.closedWithoutAnswerWithin(Duration.ofSeconds(5))).isTrue();
        }
      }
      MqttMetrics metrics = gateway.awaitMetrics("closed", m -> m.connectionsOpen() == 0);
      assertThat(metrics.refused("malformed_connect")).isEqualTo(invalid.length);
    }
  }

  @Test
  void aPublishWithAnInvalidUtf8TopicIsAMalformedPacket() throws Exception {
    byte[] topic = {'d', 'e', 'v', (byte) 0xFF};
    try (Harness gateway = Harness.plaintext(dir);
        RawClient client = gateway.connected(Packets.V5, "device-1", 30)) {
      client.send(Packets.publishRaw(Packets.V5, topic, 1, false, 1, Packets.utf8("{}")));

      RawClient.Packet disconnect = client.read();
      assertThat(disconnect.type()).isEqualTo(Packets.DISCONNECT);
      assertThat(disconnect.at(0)).as("0x81 malformed packet").isEqualTo(0x81);
      assertThat(client.closedWithin(Duration.ofSeconds(5))).isTrue();
      gateway.awaitMetrics("counted", m -> m.closed("malformed_packet") == 1);
    }
  }

  @Test
  void aWildcardInAPublishTopicIsAMalformedPacket() throws Exception {
    try (Harness gateway = Harness.plaintext(dir);
        RawClient client = gateway.connected(Packets.V311, "device-1", 30)) {
      client.send(Packets.publish(Packets.V311, "devices/+/telemetry", 1, 1, "{}"));

      assertThat(client.closedWithoutAnswerWithin(Duration.ofSeconds(5)))
          .as("[MQTT-3.3.2-2]")
          .isTrue();
      assertThat(gateway.ingest.requests()).isEmpty();
    }
  }

  @Test
  void anOversizedPacketGetsPacketTooLargeInMqtt5() throws Exception {
    try (Harness gateway = Harness.settings().maxPacketSize(DataSize.ofKibibytes(4)).start(dir);
        RawClient client = gateway.connected(Packets.V5, "device-1", 30)) {
      client.send(Packets.publish(Packets.V5, TELEMETRY, 1, 1, "x".repeat(8 * 1024)));

      // MQTT 5 section 3.2.2.3.6: a packet above the announced maximum is answered 0x95.
      RawClient.Packet disconnect = client.read();
      assertThat(disconnect.type()).isEqualTo(Packets.DISCONNECT);
      assertThat(disconnect.at(0)).isEqualTo(0x95);
      assertThat(client.closedWithin(Duration.ofSeconds(5))).isTrue();
      gateway.awaitMetrics("counted", m -> m.closed("packet_too_large") == 1);
      assertThat(gateway.ingest.requests()).isEmpty();
    }
  }

  @Test
  void anOversizedPacketClosesAnMqtt311Connection() throws Exception {
    try (Harness gateway = Harness.settings().maxPacketSize(DataSize.ofKibibytes(4)).start(dir);
        RawClient client = gateway.connected(Packets.V311, "device-1", 30)) {
      client.send(Packets.publish(Packets.V311, TELEMETRY, 1, 1, "x".repeat(8 * 1024)));

      assertThat(client.closedWithoutAnswerWithin(Duration.ofSeconds(5))).isTrue();
      gateway.awaitMetrics("counted", m -> m.closed("packet_too_large") == 1);
    }
  }

  @Test
  void aPacketAnnouncing256MbIsRefusedBeforeAnyOfItIsBuffered() throws Exception {
    try (Harness gateway = Harness.plaintext(dir);
        RawClient client = gateway.raw()) {
      // CONNECT with remaining length FF FF FF 7F = 268,435,455 bytes, then a little of it.
      client.send(new byte[] {0x10, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 0, 4, 'M', 'Q'});

      assertThat(client.closedWithoutAnswerWithin(Duration.ofSeconds(5))).isTrue();
      MqttMetrics metrics =
          gateway.awaitMetrics("counted", m -> m.refused("packet_too_large") == 1);
      assertThat(metrics.bytesIn()).isEqualTo(9);
    }
  }

  @Test
  void aPacketWhoseInnerLengthsPointPastItsEndIsClosedAtOnce() throws Exception {
    // A 17-byte MQTT 5 CONNECT whose property length claims 200,000 bytes: Netty's decoder alone
    // would wait for (and buffer) them; the frame guard notices the packet did not decode.
    Packets.Writer body = new Packets.Writer().string("MQTT").u8(5).u8(0xC2).u16(30);
    body.varInt(200_000).u8(0x11).u16(0).u16(0);
    try (Harness gateway = Harness.settings().connectTimeout(Duration.ofSeconds(20)).start(dir);
        RawClient client = gateway.raw()) {
      client.send(Packets.packet(0x10, body));

      assertThat(client.closedWithoutAnswerWithin(Duration.ofSeconds(5))).isTrue();
      gateway.awaitMetrics("counted", m -> m.refused("malformed_connect") == 1);
    }
  }

  @Test
  void connectionsBeyondTheMaximumAreRefusedWithServerUnavailable() throws Exception {
    try (Harness gateway = Harness.settings().maxConnections(2).start(dir)) {
      try (RawClient first = gateway.connected(Packets.V311, "device-1", 30);
          RawClient second = gateway.connected(Packets.V311, "device-2", 30);
          RawClient third = gateway.raw();
          RawClient fourth = gateway.raw()) {
        third.send(Packets.connect(Packets.V311, "device-3", "device-3", "secret-3", 30));
        fourth.send(Packets.connect(Packets.V5, "device-4", "device-4", "secret-4", 30));

        assertThat(third.read().at(1)).as("MQTT 3.1.1 0x03 server unavailable").isEqualTo(0x03);
        assertThat(fourth.read().at(1)).as("MQTT 5 0x97 quota exceeded").isEqualTo(0x97);
        assertThat(third.closedWithin(Duration.ofSeconds(5))).isTrue();
      }
      gateway.awaitMetrics("all closed", m -> m.connectionsOpen() == 0);
      try (RawClient again = gateway.connected(Packets.V311, "device-3", 30)) {
        assertThat(gateway.metrics().refused("max_connections")).isEqualTo(2);
      }
    }
  }

  @Test
  void aConnectionFloodIsRateLimited() throws Exception {
    // A clock that never moves refills no tokens: three connections, then refusals.
    Clock stopped = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    try (Harness gateway =
        Harness.settings().maxConnectionsPerSecond(3).clock(stopped).start(dir)) {
      for (int i = 1; i <= 3; i++) {
        gateway.connected(Packets.V5, "device-" + i, 30).close();
      }
      try (RawClient flood = gateway.raw()) {
        flood.send(Packets.connect(Packets.V5, "device-4", "device-4", "secret-4", 30));

        assertThat(flood.read().at(1)).as("0x9F connection rate exceeded").isEqualTo(0x9F);
      }
      gateway.awaitMetrics("counted", m -> m.refused("rate_limited") == 1);
    }
  }
}

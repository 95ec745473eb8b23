package io.auditgate.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.core.config.IngestConfig;
import io.auditgate.core.config.WalConfig;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.core.wal.WalCursor;
import io.auditgate.core.wal.WalListener;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.envelope.Envelope;
import io.auditgate.envelope.EnvelopeCodec;
import io.auditgate.envelope.EnvelopeSchema;
import io.auditgate.ingest.pipeline.IngestPipeline;
import io.auditgate.ingest.pipeline.TraceIds;
import io.auditgate.wal.SegmentedWal;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connects and disconnects of accepted clients reach the log as device events, through the real
 * ingest pipeline and write-ahead log; refused connections leave no trace there.
 */
@Timeout(30)
class ConnectivityEventsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final ExecutorService deadLetters = Executors.newSingleThreadExecutor();
  private final EnvelopeCodec codec = new EnvelopeCodec();
  private SegmentedWal wal;
  private MqttListener listener;
  private InetSocketAddress address;

  @BeforeEach
  void start() {
    wal = SegmentedWal.open(dir, WalConfig.defaults(), Clock.systemUTC(), WalListener.NONE);
    IngestPipeline pipeline =
        new IngestPipeline(
            wal,
            "gw-test",
            Clock.systemUTC(),
            TraceIds.random(),
            IngestConfig.defaults(),
            deadLetters);
    listener =
        new MqttListener(
            Harness.settings().config(),
            Optional.empty(),
            FixedAuthenticator.devices(),
            pipeline,
            Clock.systemUTC(),
            "gw-test");
    address = listener.start();
  }

  @AfterEach
  void stop() {
    try {
      listener.stop();
    } finally {
      wal.close();
      deadLetters.shutdownNow();
    }
  }

  @Test
  void aConnectAndADisconnectAreTwoDeviceEventsInTheLog() throws Exception {
    try (RawClient client = new RawClient(address)) {
      client.send(Packets.connect(Packets.V5, "board-a", "device-1", "secret-1", 60));
      assertThat(client.read().type()).isEqualTo(Packets.CONNACK);
      client.send(Packets.disconnect());
      assertThat(client.closedWithin(Duration.ofSeconds(5))).isTrue();
    }

    List<Envelope> events = awaitEvents(2);
    JsonNode connected = payload(events.get(0));
    assertThat(connected.get("event").asText()).isEqualTo("connected");
    assertThat(connected.get("client_id").asText()).isEqualTo("board-a");
    assertThat(connected.get("protocol").asText()).isEqualTo("mqtt5");
    assertThat(connected.get("tls").asText()).isEqualTo("plaintext");
    assertThat(connected.get("auth").asText()).isEqualTo("password");
    JsonNode disconnected = payload(events.get(1));
    assertThat(disconnected.get("event").asText()).isEqualTo("disconnected");
    assertThat(disconnected.get("client_id").asText()).isEqualTo("board-a");
    assertThat(disconnected.get("reason").asText()).isEqualTo("client_disconnect");
    assertThat(disconnected.get("other_connections").asInt()).isZero();
    for (Envelope e : events) {
      assertThat(e.schema()).isEqualTo(EnvelopeSchema.DEVICE_EVENT_V1);
      assertThat(e.telemetry().deviceId()).isEqualTo("device-1");
      assertThat(e.telemetry().sourceTopic()).isEqualTo("devices/device-1/events");
      assertThat(e.telemetry().seq()).isEmpty();
    }
    assertThat(listener.metrics().connectivityEventsLost()).isZero();
  }

  @Test
  void aTakenOverSessionLeavesTheDeviceConnectedAndALostConnectionSaysSo() throws Exception {
    try (RawClient first = new RawClient(address)) {
      first.send(Packets.connect(Packets.V311, "board-b", "device-2", "secret-2", 60));
      assertThat(first.read().type()).isEqualTo(Packets.CONNACK);
      try (RawClient second = new RawClient(address)) {
        second.send(Packets.connect(Packets.V311, "board-b", "device-2", "secret-2", 60));
        assertThat(second.read().type()).isEqualTo(Packets.CONNACK);
        assertThat(first.closedWithin(Duration.ofSeconds(5))).isTrue();
        awaitEvents(3);
      } // dropped without DISCONNECT
    }

    List<JsonNode> payloads = awaitEvents(4).stream().map(ConnectivityEventsTest::payload).toList();
    assertThat(payloads)
        .extracting(p -> p.get("event").asText())
        .containsExactly("connected", "connected", "disconnected", "disconnected");
    assertThat(payloads.get(0).get("protocol").asText()).isEqualTo("mqtt3.1.1");
    assertThat(payloads.get(2).get("reason").asText()).isEqualTo("session_taken_over");
    assertThat(payloads.get(2).get("other_connections").asInt()).isEqualTo(1);
    assertThat(payloads.get(3).get("reason").asText()).isEqualTo("connection_lost");
    assertThat(payloads.get(3).get("other_connections").asInt()).isZero();
  }

  @Test
  void aRefusedConnectionIsNoEvent() throws Exception {
    try (RawClient client = new RawClient(address)) {
      client.send(Packets.connect(Packets.V311, "board-c", "device-3", "wrong", 60));
      RawClient.Packet connAck = client.read();
      assertThat(connAck.at(1)).as("refused").isNotZero();
      assertThat(client.closedWithin(Duration.ofSeconds(5))).isTrue();
    }
    Harness.await(
        "the refusal counted",
        Duration.ofSeconds(5),
        () -> !listener.metrics().connectionsRefused().isEmpty());

    assertThat(events()).isEmpty();
  }

  private List<Envelope> awaitEvents(int count) {
    Harness.await(
        count + " device events in the log",
        Duration.ofSeconds(10),
        () -> events().size() >= count);
    return events();
  }

  /** The device events in the log, oldest first, read through a cursor of their own. */
  private List<Envelope> events() {
    WalCursor cursor = wal.cursor("test-" + System.nanoTime());
    List<Envelope> events = new ArrayList<>();
    for (List<WalRecord> got; !(got = cursor.poll(100, Long.MAX_VALUE)).isEmpty(); ) {
      for (WalRecord record : got) {
        if (record.type() == RecordTypes.DEVICE_EVENT) {
          events.add(codec.decode(record.body()));
        }
      }
    }
    return events;
  }

  private static JsonNode payload(Envelope envelope) {
    try {
      return JSON.readTree(envelope.telemetry().payload().orElseThrow());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}

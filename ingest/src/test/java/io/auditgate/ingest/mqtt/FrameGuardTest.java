package io.auditgate.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The frame guard in front of Netty's decoder, on an embedded channel. */
class FrameGuardTest {
  private final MetricsRecorder metrics = new MetricsRecorder();
  private final List<Object> events = new ArrayList<>();
  private final EmbeddedChannel channel = channel(256);

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  @Test
  void packetsArriveWholeWhateverTheReadsLookLike() {
    byte[] connect = Packets.connect(Packets.V311, "c", "device-1", "secret-1", 30);
    byte[] both = Packets.concat(connect, Packets.pingReq());

    channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(both, 5)));
    assertThat((Object) channel.readInbound()).as("a partial packet waits").isNull();
    channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(both, 5, both.length)));

    assertThat(types()).containsExactly(MqttMessageType.CONNECT, MqttMessageType.PINGREQ);
    assertThat(events).isEmpty();
    assertThat(metrics.snapshot().bytesIn()).isEqualTo(both.length);
  }

  @Test
  void aPacketAboveTheLimitIsNeverBuffered() {
    byte[] connect = Packets.connect(Packets.V311, "c", "device-1", "secret-1", 30);
    // PUBLISH announcing 300 bytes: over the 256-byte limit as soon as the header is read.
    byte[] header = {0x30, (byte) 0xAC, 0x02};

    channel.writeInbound(Unpooled.wrappedBuffer(Packets.concat(connect, header)));
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[300]));

    assertThat(types()).containsExactly(MqttMessageType.CONNECT);
    assertThat(events).containsExactly(new FrameGuard.Oversized(303));
  }

  @Test
  void theFirstPacketMustBeAConnect() {
    // [MQTT-3.1.0-1]
    channel.writeInbound(Unpooled.wrappedBuffer(Packets.pingReq()));

    assertThat(types()).isEmpty();
    assertThat(events).containsExactly(new FrameGuard.NotConnect(0xC0));
  }

  @Test
  void aRemainingLengthOfFiveBytesIsUndecodable() {
    // Section 2.2.3: the remaining length takes at most four bytes.
    byte[] connect = Packets.connect(Packets.V311, "c", "device-1", "secret-1", 30);
    byte[] bad = {0x30, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};

    channel.writeInbound(Unpooled.wrappedBuffer(Packets.concat(connect, bad)));

    assertThat(events).hasSize(1).first().isInstanceOf(FrameGuard.Undecodable.class);
  }

  @Test
  void aPacketThatDoesNotDecodeToOneMessageStopsTheStream() {
    // CONNECT whose client id length (0x4000) points far past the end of the packet.
    Packets.Writer body = new Packets.Writer().string("MQTT").u8(4).u8(0x02).u16(30).u16(0x4000);
    byte[] lying = Packets.packet(0x10, body);

    channel.writeInbound(Unpooled.wrappedBuffer(Packets.concat(lying, Packets.pingReq())));

    assertThat(types()).isEmpty();
    assertThat(events).hasSize(1).first().isInstanceOf(FrameGuard.Undecodable.class);
  }

  private EmbeddedChannel channel(int maxPacketBytes) {
    FrameGuard guard = new FrameGuard(maxPacketBytes, metrics);
    return new EmbeddedChannel(
        guard,
        new MqttDecoder(maxPacketBytes, 128, true),
        guard.decodedCounter(),
        new ChannelInboundHandlerAdapter() {
          @Override
          public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            events.add(event);
          }
        });
  }

  private List<MqttMessageType> types() {
    List<MqttMessageType> types = new ArrayList<>();
    for (Object message; (message = channel.readInbound()) != null; ) {
      types.add(((MqttMessage) message).fixedHeader().messageType());
    }
    return types;
  }
}

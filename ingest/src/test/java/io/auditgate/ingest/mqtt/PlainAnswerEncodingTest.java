package io.auditgate.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Plain acknowledgements written in bulk are the bytes Netty's encoder writes for each one. */
class PlainAnswerEncodingTest {
  // Where Netty's MQTT codec keeps the connection's protocol version (its decoder sets it).
  private static final AttributeKey<MqttVersion> VERSION =
      AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

  @ParameterizedTest
  @CsvSource({
    "MQTT_3_1_1, AT_LEAST_ONCE, 1",
    "MQTT_3_1_1, EXACTLY_ONCE, 65535",
    "MQTT_5, AT_LEAST_ONCE, 258",
    "MQTT_5, EXACTLY_ONCE, 7"
  })
  void bulkBytesAreTheEncodersBytes(MqttVersion version, MqttQoS qos, int packetId) {
    AckPlan.Answer success = new AckPlan.Answer(MqttReplies.SUCCESS, true, "");
    EmbeddedChannel channel = new EmbeddedChannel(MqttEncoder.INSTANCE);
    channel.attr(VERSION).set(version);
    channel.writeOutbound(MqttReplies.publishAnswer(qos, packetId, success, true));
    ByteBuf encoded = channel.readOutbound();
    ByteBuf bulk = Unpooled.buffer();
    MqttReplies.writePlainAnswer(bulk, qos, packetId);

    assertThat(MqttReplies.isPlainAnswer(success)).isTrue();
    assertThat(ByteBufUtil.hexDump(bulk)).isEqualTo(ByteBufUtil.hexDump(encoded));
    encoded.release();
    channel.finishAndReleaseAll();
  }

  @ParameterizedTest
  @CsvSource({"0x99", "0x87", "0x97"})
  void refusalsAreNotPlain(String code) {
    AckPlan.Answer refusal = new AckPlan.Answer(Integer.decode(code).byteValue(), false, "why");

    assertThat(MqttReplies.isPlainAnswer(refusal)).isFalse();
  }
}

package io.auditgate.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.ingest.IngestResult;
import io.auditgate.ingest.mqtt.DeviceTopics.PublishVerdict;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The mapping from outcomes to MQTT codes, as a table per protocol version. */
class MqttRepliesTest {
  private static final IngestResult REJECTED =
      new IngestResult.Rejected(IngestResult.Reason.INVALID_JSON, "not JSON", 0);
  private static final IngestResult BUSY =
      new IngestResult.Busy("the log is full", Duration.ofSeconds(2));

  @ParameterizedTest
  @CsvSource({
    "UNSUPPORTED_PROTOCOL, 0x01, 0x84",
    "IDENTIFIER_REJECTED, 0x02, 0x85",
    "MAX_CONNECTIONS, 0x03, 0x97",
    "RATE_LIMITED, 0x03, 0x9F",
    "SHUTTING_DOWN, 0x03, 0x88",
    "BAD_CREDENTIALS, 0x04, 0x86",
    "NOT_AUTHORIZED, 0x05, 0x87",
    "BAD_AUTHENTICATION_METHOD, 0x05, 0x8C",
    "WILL_TOPIC_INVALID, 0x05, 0x90"
  })
  void connectRefusalsHaveACodeInEachVersion(ConnectRefusal why, String v3, String v5) {
    assertThat(code(MqttVersion.MQTT_3_1_1, why)).isEqualTo(Integer.decode(v3));
    assertThat(code(MqttVersion.MQTT_5, why)).isEqualTo(Integer.decode(v5));
  }

  @ParameterizedTest
  @CsvSource({
    "MALFORMED_CONNECT",
    "PROTOCOL_ERROR",
    "PACKET_TOO_LARGE",
    "CONNECT_TIMEOUT",
    "TLS_HANDSHAKE_FAILED",
    "CLOSED_BY_CLIENT"
  })
  void malformedConnectsAreClosedWithoutConnack(ConnectRefusal why) {
    // [MQTT-3.1.4-1]: a CONNECT that does not conform is closed without a CONNACK.
    assertThat(MqttReplies.connectRefusal(MqttVersion.MQTT_5, why)).isEmpty();
    assertThat(MqttReplies.connectRefusal(MqttVersion.MQTT_3_1_1, why)).isEmpty();
  }

  @Test
  void storedIsAcknowledgedInBothVersions() {
    IngestResult stored = new IngestResult.Stored(0, null);
    AckPlan.Answer success = new AckPlan.Answer(MqttReplies.SUCCESS, true, "");

    assertThat(MqttReplies.forIngestResult(MqttVersion.MQTT_3_1_1, stored)).isEqualTo(success);
    assertThat(MqttReplies.forIngestResult(MqttVersion.MQTT_5, stored)).isEqualTo(success);
  }

  @Test
  void rejectedIsAcknowledgedInMqtt311AndRefusedWithItsReasonInMqtt5() {
    assertThat(MqttReplies.forIngestResult(MqttVersion.MQTT_3_1_1, REJECTED))
        .as("dead-lettered: the gateway has taken responsibility")
        .isEqualTo(new AckPlan.Answer(MqttReplies.SUCCESS, true, ""));
    assertThat(MqttReplies.forIngestResult(MqttVersion.MQTT_5, REJECTED))
        .isEqualTo(new AckPlan.Answer((byte) 0x99, false, "invalid_json"));
  }

  @Test
  void busyIsNeverAcknowledged() {
    assertThat(MqttReplies.forIngestResult(MqttVersion.MQTT_3_1_1, BUSY))
        .isEqualTo(new AckPlan.Retry(Duration.ofSeconds(2)));
    assertThat(MqttReplies.forIngestResult(MqttVersion.MQTT_5, BUSY))
        .isEqualTo(new AckPlan.Answer((byte) 0x97, false, "busy"));
  }

  @ParameterizedTest
  @CsvSource({
    "WRONG_DEVICE, 0x87",
    "UNKNOWN_TOPIC, 0x90",
    "INVALID_JSON, 0x99",
    "INVALID_SENML, 0x99",
    "PAYLOAD_TOO_LARGE, 0x99",
    "NON_FINITE_METRIC, 0x99"
  })
  void everyRejectionReasonHasAnMqtt5Code(IngestResult.Reason reason, String code) {
    IngestResult rejected = new IngestResult.Rejected(reason, "", 0);

    AckPlan plan = MqttReplies.forIngestResult(MqttVersion.MQTT_5, rejected);

    assertThat(((AckPlan.Answer) plan).reasonCode() & 0xFF).isEqualTo(Integer.decode(code));
  }

  @Test
  void topicRefusalsAreAnsweredInMqtt5AndCloseMqtt311AtQos1() {
    assertThat(
            MqttReplies.forTopicRefusal(
                MqttVersion.MQTT_5, MqttQoS.AT_LEAST_ONCE, PublishVerdict.OTHER_DEVICE))
        .isEqualTo(new AckPlan.Answer((byte) 0x87, false, "not_authorized"));
    assertThat(
            MqttReplies.forTopicRefusal(
                MqttVersion.MQTT_5, MqttQoS.EXACTLY_ONCE, PublishVerdict.UNKNOWN_TOPIC))
        .isEqualTo(new AckPlan.Answer((byte) 0x90, false, "topic_invalid"));
    assertThat(
            MqttReplies.forTopicRefusal(
                MqttVersion.MQTT_3_1_1, MqttQoS.AT_LEAST_ONCE, PublishVerdict.OTHER_DEVICE))
        .as("[MQTT-3.3.5-2]")
        .isEqualTo(new AckPlan.Close(CloseReason.NOT_AUTHORIZED));
    assertThat(
            MqttReplies.forTopicRefusal(
                MqttVersion.MQTT_3_1_1, MqttQoS.AT_MOST_ONCE, PublishVerdict.OTHER_DEVICE))
        .isEqualTo(new AckPlan.Nothing());
  }

  @ParameterizedTest
  @CsvSource({
    "KEEP_ALIVE_TIMEOUT, 0x8D",
    "MALFORMED_PACKET, 0x81",
    "PROTOCOL_ERROR, 0x82",
    "PACKET_TOO_LARGE, 0x95",
    "RECEIVE_MAXIMUM_EXCEEDED, 0x93",
    "NOT_AUTHORIZED, 0x87",
    "TOPIC_ALIAS_INVALID, 0x94",
    "SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED, 0xA1",
    "SESSION_TAKEN_OVER, 0x8E",
    "INGEST_FAILED, 0x83",
    "SHUTTING_DOWN, 0x8B"
  })
  void serverSideClosesCarryAnMqtt5DisconnectCode(CloseReason reason, String code) {
    assertThat(MqttReplies.disconnectCode(reason).map(b -> b & 0xFF))
        .contains(Integer.decode(code));
  }

  @Test
  void clientSideEndsCarryNoDisconnect() {
    assertThat(MqttReplies.disconnectCode(CloseReason.CLIENT_DISCONNECT)).isEmpty();
    assertThat(MqttReplies.disconnectCode(CloseReason.CONNECTION_LOST)).isEmpty();
    assertThat(MqttReplies.disconnectCode(CloseReason.IO_ERROR)).isEmpty();
  }

  @Test
  void retryDelaysAreKeptBetween10MillisecondsAnd30Seconds() {
    assertThat(MqttReplies.retryDelay(Duration.ZERO)).isEqualTo(Duration.ofMillis(10));
    assertThat(MqttReplies.retryDelay(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
    assertThat(MqttReplies.retryDelay(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(30));
  }

  private static int code(MqttVersion version, ConnectRefusal why) {
    Optional<MqttConnectReturnCode> code = MqttReplies.connectRefusal(version, why);
    assertThat(code).isPresent();
    return code.get().byteValue() & 0xFF;
  }
}

package io.auditgate.ingest.mqtt;

import io.auditgate.core.ingest.IngestResult;
import io.auditgate.ingest.mqtt.DeviceTopics.FilterVerdict;
import io.auditgate.ingest.mqtt.DeviceTopics.PublishVerdict;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The one place where outcomes become MQTT: CONNACK return and reason codes, what a publish is
 * answered with for each {@link IngestResult}, SUBACK and UNSUBACK codes and MQTT 5 DISCONNECT
 * reason codes. Everything here is a pure function of its arguments.
 *
 * <p>MQTT 3.1.1 has no negative acknowledgement for a publish, so:
 *
 * <ul>
 *   <li>Rejected (invalid payload): PUBACK/PUBREC anyway. The ingest kept the message as a dead
 *       letter, durably, so the gateway has taken responsibility for it; a resend would fail the
 *       same way, and withholding the acknowledgement would only make the client resend it forever.
 *   <li>Busy (log full or failed): no acknowledgement. The listener keeps the message, stops
 *       reading the connection and offers it again after the retry delay; the PUBACK follows once
 *       it is stored.
 *   <li>Not the device's topic: QoS 0 is dropped and counted; QoS 1 and 2 close the connection,
 *       because a positive acknowledgement would claim the gateway stored it [MQTT-3.3.5-2].
 * </ul>
 */
final class MqttReplies {
  // MQTT 5 reason codes (section 2.4) the gateway sends.
  static final byte SUCCESS = 0x00;
  static final byte GRANTED_QOS_1 = 0x01;
  static final byte NO_SUBSCRIPTION_EXISTED = 0x11;
  static final byte UNSPECIFIED_ERROR = (byte) 0x80;
  static final byte MALFORMED_PACKET = (byte) 0x81;
  static final byte PROTOCOL_ERROR = (byte) 0x82;
  static final byte IMPLEMENTATION_SPECIFIC_ERROR = (byte) 0x83;
  static final byte NOT_AUTHORIZED = (byte) 0x87;
  static final byte SERVER_SHUTTING_DOWN = (byte) 0x8B;
  static final byte KEEP_ALIVE_TIMEOUT = (byte) 0x8D;
  static final byte SESSION_TAKEN_OVER = (byte) 0x8E;
  static final byte TOPIC_FILTER_INVALID = (byte) 0x8F;
  static final byte TOPIC_NAME_INVALID = (byte) 0x90;
  static final byte PACKET_IDENTIFIER_NOT_FOUND = (byte) 0x92;
  static final byte RECEIVE_MAXIMUM_EXCEEDED = (byte) 0x93;
  static final byte TOPIC_ALIAS_INVALID = (byte) 0x94;
  static final byte PACKET_TOO_LARGE = (byte) 0x95;
  static final byte QUOTA_EXCEEDED = (byte) 0x97;
  static final byte PAYLOAD_FORMAT_INVALID = (byte) 0x99;
  static final byte SHARED_SUBSCRIPTIONS_NOT_SUPPORTED = (byte) 0x9E;
  static final byte SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED = (byte) 0xA1;

  /** MQTT 3.1.1 SUBACK failure return code [MQTT-3.9.3-2]. */
  static final byte SUBACK_FAILURE_V3 = (byte) 0x80;

  private static final int NO_CONNACK = -1;

  private MqttReplies() {}

  // ---------------------------------------------------------------- CONNACK

  /**
   * The CONNACK code refusing a connection, or empty where the specification requires closing
   * without a CONNACK (a malformed or protocol-violating CONNECT [MQTT-3.1.4-1], a TLS failure, a
   * timeout).
   */
  static Optional<MqttConnectReturnCode> connectRefusal(MqttVersion version, ConnectRefusal why) {
    boolean v5 = version == MqttVersion.MQTT_5;
    // MQTT 3.1.1 table 3.1 and MQTT 5 section 3.2.2.2 (connect reason codes).
    int code =
        switch (why) {
          case UNSUPPORTED_PROTOCOL -> v5 ? 0x84 : 0x01;
          case IDENTIFIER_REJECTED -> v5 ? 0x85 : 0x02;
          case MAX_CONNECTIONS -> v5 ? 0x97 : 0x03;
          case RATE_LIMITED -> v5 ? 0x9F : 0x03;
          case SHUTTING_DOWN -> v5 ? 0x88 : 0x03;
          case BAD_CREDENTIALS -> v5 ? 0x86 : 0x04;
          case NOT_AUTHORIZED -> v5 ? 0x87 : 0x05;
          case BAD_AUTHENTICATION_METHOD -> v5 ? 0x8C : 0x05;
          case WILL_TOPIC_INVALID -> v5 ? 0x90 : 0x05;
          case MALFORMED_CONNECT, PROTOCOL_ERROR, PACKET_TOO_LARGE -> NO_CONNACK;
          case CONNECT_TIMEOUT, TLS_HANDSHAKE_FAILED, CLOSED_BY_CLIENT -> NO_CONNACK;
        };
    return code == NO_CONNACK
        ? Optional.empty()
        : Optional.of(MqttConnectReturnCode.valueOf((byte) code));
  }

  static MqttConnAckMessage connAck(
      MqttConnectReturnCode code, boolean sessionPresent, MqttProperties properties) {
    return new MqttConnAckMessage(
        fixed(MqttMessageType.CONNACK, MqttQoS.AT_MOST_ONCE),
        new MqttConnAckVariableHeader(code, sessionPresent, properties));
  }

  // ---------------------------------------------------------------- PUBLISH

  /** What a QoS 1 or 2 publish is answered with once the ingest has decided. */
  static AckPlan forIngestResult(MqttVersion version, IngestResult result) {
    boolean v5 = version == MqttVersion.MQTT_5;
    if (result instanceof IngestResult.Rejected rejected) {
      return v5
          ? new AckPlan.Answer(rejectionCode(rejected.reason()), false, rejected.reason().code())
          : new AckPlan.Answer(SUCCESS, true, "");
    }
    if (result instanceof IngestResult.Busy busy) {
      return v5
          ? new AckPlan.Answer(QUOTA_EXCEEDED, false, "busy")
          : new AckPlan.Retry(busy.retryAfter());
    }
    return new AckPlan.Answer(SUCCESS, true, "");
  }

  /** What a publish outside the device's own topics is answered with. */
  static AckPlan forTopicRefusal(MqttVersion version, MqttQoS qos, PublishVerdict verdict) {
    if (qos == MqttQoS.AT_MOST_ONCE) {
      return new AckPlan.Nothing();
    }
    if (version != MqttVersion.MQTT_5) {
      return new AckPlan.Close(CloseReason.NOT_AUTHORIZED);
    }
    return verdict == PublishVerdict.OTHER_DEVICE
        ? new AckPlan.Answer(NOT_AUTHORIZED, false, "not_authorized")
        : new AckPlan.Answer(TOPIC_NAME_INVALID, false, "topic_invalid");
  }

  /** The counter label of a topic refusal. */
  static String rejectLabel(PublishVerdict verdict) {
    return verdict == PublishVerdict.OTHER_DEVICE ? "not_authorized" : "topic_invalid";
  }

  private static byte rejectionCode(IngestResult.Reason reason) {
    return switch (reason) {
      case WRONG_DEVICE -> NOT_AUTHORIZED;
      case UNKNOWN_TOPIC -> TOPIC_NAME_INVALID;
      // Every other reason is about the payload: JSON, SenML, fields, counts, size.
      default -> PAYLOAD_FORMAT_INVALID;
    };
  }

  /**
   * PUBACK (QoS 1) or PUBREC (QoS 2) for {@code answer}. MQTT 3.1.1 packets carry the packet id
   * only; the encoder leaves out an MQTT 5 success code with no properties, as section 3.4.2.1
   * allows.
   */
  static MqttMessage publishAnswer(
      MqttQoS qos, int packetId, AckPlan.Answer answer, boolean withReasonString) {
    MqttMessageType type =
        qos == MqttQoS.EXACTLY_ONCE ? MqttMessageType.PUBREC : MqttMessageType.PUBACK;
    MqttProperties properties = MqttProperties.NO_PROPERTIES;
    if (withReasonString && answer.reasonCode() != SUCCESS && !answer.reason().isEmpty()) {
      properties = new MqttProperties();
      properties.add(
          new MqttProperties.StringProperty(
              MqttProperties.MqttPropertyType.REASON_STRING.value(), answer.reason()));
    }
    return new MqttMessage(
        fixed(type, MqttQoS.AT_MOST_ONCE),
        new MqttPubReplyMessageVariableHeader(packetId, answer.reasonCode(), properties));
  }

  /**
   * Whether {@link #publishAnswer} would be a plain acknowledgement: the success code, so no
   * properties, which the encoder writes as the fixed header and the packet id in both versions.
   * Nearly every answer is one.
   */
  static boolean isPlainAnswer(AckPlan.Answer answer) {
    return answer.reasonCode() == SUCCESS;
  }

  /**
   * Appends a plain {@link #publishAnswer} to {@code out} as the encoder would write it, so that a
   * run of acknowledgements goes out as one buffer rather than one encoded message each.
   */
  static void writePlainAnswer(ByteBuf out, MqttQoS qos, int packetId) {
    MqttMessageType type =
        qos == MqttQoS.EXACTLY_ONCE ? MqttMessageType.PUBREC : MqttMessageType.PUBACK;
    out.writeByte(type.value() << 4);
    out.writeByte(2); // remaining length: the packet id
    out.writeShort(packetId);
  }

  /** PUBCOMP; MQTT 5 says 0x92 when the PUBREL named an id the session did not know. */
  static MqttMessage pubComp(MqttVersion version, int packetId, boolean known) {
    byte code = known || version != MqttVersion.MQTT_5 ? SUCCESS : PACKET_IDENTIFIER_NOT_FOUND;
    return new MqttMessage(
        fixed(MqttMessageType.PUBCOMP, MqttQoS.AT_MOST_ONCE),
        new MqttPubReplyMessageVariableHeader(packetId, code, MqttProperties.NO_PROPERTIES));
  }

  /** A command to a device. */
  static MqttPublishMessage command(
      String topic, MqttQoS qos, int packetId, boolean dup, ByteBuf payload) {
    return new MqttPublishMessage(
        new MqttFixedHeader(MqttMessageType.PUBLISH, dup, qos, false, 0),
        new MqttPublishVariableHeader(topic, qos == MqttQoS.AT_MOST_ONCE ? -1 : packetId),
        payload);
  }

  // ---------------------------------------------------------------- SUBSCRIBE

  /** The SUBACK code for one requested filter. */
  static byte subscriptionCode(
      MqttVersion version, FilterVerdict verdict, int grantedQos, boolean withinQuota) {
    boolean v5 = version == MqttVersion.MQTT_5;
    if (verdict == FilterVerdict.ALLOWED && withinQuota) {
      return (byte) grantedQos;
    }
    if (!v5) {
      return SUBACK_FAILURE_V3;
    }
    return switch (verdict) {
      case ALLOWED -> QUOTA_EXCEEDED;
      case NOT_AUTHORIZED -> NOT_AUTHORIZED;
      case INVALID -> TOPIC_FILTER_INVALID;
      case SHARED_NOT_SUPPORTED -> SHARED_SUBSCRIPTIONS_NOT_SUPPORTED;
    };
  }

  static MqttSubAckMessage subAck(int packetId, List<Integer> codes) {
    return new MqttSubAckMessage(
        fixed(MqttMessageType.SUBACK, MqttQoS.AT_MOST_ONCE),
        new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
        new MqttSubAckPayload(codes));
  }

  /** The MQTT 5 UNSUBACK code for one filter (MQTT 3.1.1 UNSUBACK carries none). */
  static short unsubscriptionCode(FilterVerdict verdict, boolean existed) {
    if (verdict != FilterVerdict.ALLOWED) {
      return verdict == FilterVerdict.INVALID ? TOPIC_FILTER_INVALID : NOT_AUTHORIZED;
    }
    return existed ? SUCCESS : NO_SUBSCRIPTION_EXISTED;
  }

  static MqttUnsubAckMessage unsubAck(int packetId, List<Short> codes) {
    return new MqttUnsubAckMessage(
        fixed(MqttMessageType.UNSUBACK, MqttQoS.AT_MOST_ONCE),
        new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
        new MqttUnsubAckPayload(codes));
  }

  // ---------------------------------------------------------------- DISCONNECT, PINGRESP

  /** The MQTT 5 DISCONNECT reason code the gateway sends before closing, if it sends one. */
  static Optional<Byte> disconnectCode(CloseReason reason) {
    Byte code =
        switch (reason) {
          case KEEP_ALIVE_TIMEOUT -> KEEP_ALIVE_TIMEOUT;
          case MALFORMED_PACKET -> MALFORMED_PACKET;
          case PROTOCOL_ERROR -> PROTOCOL_ERROR;
          case PACKET_TOO_LARGE -> PACKET_TOO_LARGE;
          case RECEIVE_MAXIMUM_EXCEEDED -> RECEIVE_MAXIMUM_EXCEEDED;
          case NOT_AUTHORIZED, CERTIFICATE_REVOKED -> NOT_AUTHORIZED;
          case TOPIC_ALIAS_INVALID -> TOPIC_ALIAS_INVALID;
          case SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED -> SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED;
          case SESSION_TAKEN_OVER -> SESSION_TAKEN_OVER;
          case INGEST_FAILED -> IMPLEMENTATION_SPECIFIC_ERROR;
          case SHUTTING_DOWN -> SERVER_SHUTTING_DOWN;
          case CLIENT_DISCONNECT, CONNECTION_LOST, IO_ERROR -> null;
        };
    return Optional.ofNullable(code);
  }

  static MqttMessage disconnect(byte reasonCode) {
    return new MqttMessage(
        fixed(MqttMessageType.DISCONNECT, MqttQoS.AT_MOST_ONCE),
        new MqttReasonCodeAndPropertiesVariableHeader(reasonCode, MqttProperties.NO_PROPERTIES));
  }

  static MqttMessage pingResp() {
    return new MqttMessage(fixed(MqttMessageType.PINGRESP, MqttQoS.AT_MOST_ONCE));
  }

  /** How long to wait before offering a busy message again: the ingest's hint, kept sane. */
  static Duration retryDelay(Duration hint) {
    Duration min = Duration.ofMillis(10);
    Duration max = Duration.ofSeconds(30);
    return hint.compareTo(min) < 0 ? min : hint.compareTo(max) > 0 ? max : hint;
  }

  private static MqttFixedHeader fixed(MqttMessageType type, MqttQoS qos) {
    return new MqttFixedHeader(type, false, qos, false, 0);
  }
}

package io.auditgate.ingest.mqtt;

import io.auditgate.core.config.MqttConfig;
import io.auditgate.core.ingest.DeviceAuthenticator;
import io.auditgate.core.ingest.DeviceIdentity;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.ingest.mqtt.ConnectDecision.ClientLimits;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides a CONNECT: protocol version, flags, client id, credentials, will topic, session expiry.
 * The order follows section 3.1.4 of both versions: a malformed CONNECT is closed without a
 * CONNACK; everything else that is wrong gets the CONNACK code for it.
 *
 * <p>Identity comes from the TLS client certificate when there is one (and a certificate that names
 * no known device is refused, whatever username comes with it), else from username and password,
 * else anonymous only where {@link DeviceAuthenticator#allowsAnonymous} says so, with the client id
 * as device id. Thread-safe: holds no state of its own.
 */
final class ConnectPolicy {
  /** Client ids longer than this are refused; MQTT only promises 23 [MQTT-3.1.3-5]. */
  static final int MAX_CLIENT_ID_CHARS = 128;

  private static final long UNSIGNED_INT_MASK = 0xFFFF_FFFFL;

  private final MqttConfig config;
  private final DeviceAuthenticator authenticator;
  private final String gatewayId;

  ConnectPolicy(MqttConfig config, DeviceAuthenticator authenticator, String gatewayId) {
    this.config = config;
    this.authenticator = authenticator;
    this.gatewayId = gatewayId;
  }

  ConnectDecision decide(MqttConnectMessage connect, Optional<List<X509Certificate>> peerChain) {
    MqttConnectVariableHeader header = connect.variableHeader();
    MqttConnectPayload payload = connect.payload();
    MqttVersion version = versionOf(header);
    if (version != MqttVersion.MQTT_3_1_1 && version != MqttVersion.MQTT_5) {
      return refuse(ConnectRefusal.UNSUPPORTED_PROTOCOL);
    }
    boolean v5 = version == MqttVersion.MQTT_5;
    if (!flagsAreConsistent(header, v5)) {
      return refuse(ConnectRefusal.MALFORMED_CONNECT);
    }
    MqttProperties properties = header.properties();
    Optional<ClientLimits> limits = v5 ? limits(properties) : Optional.of(ClientLimits.DEFAULTS);
    if (limits.isEmpty()) {
      return refuse(ConnectRefusal.PROTOCOL_ERROR);
    }
    if (v5 && properties.getProperty(MqttPropertyType.AUTHENTICATION_METHOD.value()) != null) {
      // Enhanced authentication (AUTH packets) is not offered.
      return refuse(ConnectRefusal.BAD_AUTHENTICATION_METHOD);
    }

    String clientId = payload.clientIdentifier();
    boolean assigned = clientId.isEmpty();
    if (assigned && !v5 && !header.isCleanSession()) {
      return refuse(ConnectRefusal.IDENTIFIER_REJECTED); // [MQTT-3.1.3-8]
    }
    if (clientId.length() > MAX_CLIENT_ID_CHARS) {
      return refuse(ConnectRefusal.IDENTIFIER_REJECTED);
    }
    if (assigned) {
      clientId = "auditgate-" + gatewayId + "-" + UUID.randomUUID(); // [MQTT-3.1.3-6]
    }

    Optional<DeviceIdentity> identity;
    ConnectRefusal unknown;
    if (peerChain.isPresent()) {
      identity = authenticator.fromCertificate(peerChain.get());
      unknown = ConnectRefusal.NOT_AUTHORIZED;
    } else if (header.hasUserName() || header.hasPassword()) {
      String username = header.hasUserName() ? payload.userName() : "";
      byte[] password = header.hasPassword() ? payload.passwordInBytes() : new byte[0];
      identity = authenticator.fromPassword(username, password);
      unknown = ConnectRefusal.BAD_CREDENTIALS;
    } else if (authenticator.allowsAnonymous() && !assigned) {
      identity = anonymous(clientId);
      unknown = ConnectRefusal.IDENTIFIER_REJECTED;
    } else {
      identity = Optional.empty();
      unknown = ConnectRefusal.NOT_AUTHORIZED;
    }
    if (identity.isEmpty()) {
      return refuse(unknown);
    }
    if (!Telemetry.isDeviceId(identity.get().deviceId())) {
      return refuse(ConnectRefusal.NOT_AUTHORIZED);
    }

    Optional<Will> will = Optional.empty();
    if (header.isWillFlag()) {
      String deviceId = identity.get().deviceId();
      String topic = payload.willTopic();
      if (topic == null || !topic.equals(DeviceTopics.eventsTopic(deviceId))) {
        DeviceTopics.PublishVerdict verdict =
            topic == null
                ? DeviceTopics.PublishVerdict.UNKNOWN_TOPIC
                : DeviceTopics.forPublish(topic, deviceId);
        return refuse(
            verdict == DeviceTopics.PublishVerdict.OTHER_DEVICE
                ? ConnectRefusal.NOT_AUTHORIZED
                : ConnectRefusal.WILL_TOPIC_INVALID);
      }
      Duration delay =
          v5
              ? seconds(payload.willProperties(), MqttPropertyType.WILL_DELAY_INTERVAL)
              : Duration.ZERO;
      will = Optional.of(new Will(topic, payload.willMessageInBytes(), delay));
    }

    Duration asked =
        v5
            ? seconds(properties, MqttPropertyType.SESSION_EXPIRY_INTERVAL)
            : header.isCleanSession() ? Duration.ZERO : config.maxSessionExpiry();
    Duration max = config.maxSessionExpiry();
    Duration expiry = asked.compareTo(max) > 0 ? max : asked;
    return new ConnectDecision.Accept(
        identity.get(),
        clientId,
        assigned,
        header.isCleanSession(),
        expiry,
        v5 && expiry.compareTo(asked) < 0,
        header.keepAliveTimeSeconds(),
        will,
        limits.get());
  }

  /** The version a decoded CONNECT names; Netty has already refused names it does not know. */
  static MqttVersion versionOf(MqttConnectVariableHeader header) {
    return MqttVersion.fromProtocolNameAndLevel(header.name(), (byte) header.version());
  }

  /**
   * [MQTT-3.1.2-13] and [MQTT-3.1.2-15]: no will QoS or retain without a will; [MQTT-3.1.2-14]:
   * will QoS 3 is malformed; [MQTT-3.1.2-22] (MQTT 3.1.1 only): no password without a username.
   */
  private static boolean flagsAreConsistent(MqttConnectVariableHeader header, boolean v5) {
    if (!header.isWillFlag() && (header.willQos() != 0 || header.isWillRetain())) {
      return false;
    }
    if (header.willQos() > 2) {
      return false;
    }
    return v5 || header.hasUserName() || !header.hasPassword();
  }

  /** An MQTT 5 client's limits; empty for a protocol error (zero receive maximum or size). */
  private static Optional<ClientLimits> limits(MqttProperties properties) {
    long receiveMaximum = intProperty(properties, MqttPropertyType.RECEIVE_MAXIMUM).orElse(65_535L);
    long maximumPacketSize =
        intProperty(properties, MqttPropertyType.MAXIMUM_PACKET_SIZE)
            .map(size -> size & UNSIGNED_INT_MASK)
            .orElse(ClientLimits.DEFAULTS.maximumPacketSize());
    long problemInformation =
        intProperty(properties, MqttPropertyType.REQUEST_PROBLEM_INFORMATION).orElse(1L);
    if (receiveMaximum == 0 || maximumPacketSize == 0 || problemInformation > 1) {
      return Optional.empty();
    }
    return Optional.of(
        new ClientLimits((int) receiveMaximum, maximumPacketSize, problemInformation == 1));
  }

  private static Optional<Long> intProperty(MqttProperties properties, MqttPropertyType type) {
    MqttProperties.MqttProperty<?> property = properties.getProperty(type.value());
    if (property != null && property.value() instanceof Integer value) {
      return Optional.of(value.longValue());
    }
    return Optional.empty();
  }

  /** A four-byte interval in seconds, read as unsigned (0xFFFFFFFF means "never expires"). */
  private static Duration seconds(MqttProperties properties, MqttPropertyType type) {
    return intProperty(properties, type)
        .map(value -> Duration.ofSeconds(value & UNSIGNED_INT_MASK))
        .orElse(Duration.ZERO);
  }

  private Optional<DeviceIdentity> anonymous(String clientId) {
    if (!Telemetry.isDeviceId(clientId)) {
      return Optional.empty();
    }
    return Optional.of(
        new DeviceIdentity(clientId, DeviceIdentity.Method.ANONYMOUS, Optional.empty()));
  }

  private static ConnectDecision refuse(ConnectRefusal reason) {
    return new ConnectDecision.Refuse(reason);
  }
}

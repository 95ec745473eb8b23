package io.auditgate.core.config;

import static io.auditgate.core.config.Check.between;
import static io.auditgate.core.config.Check.orDefault;

import java.time.Duration;

/**
 * The gateway's own MQTT listener (section {@code mqtt}). Every field may be left out; the compact
 * constructor fills in the defaults and rejects values that cannot work. Whole numbers are boxed so
 * that "left out" can be told apart from a value; the accessors never return null.
 *
 * @param bindHost address to listen on
 * @param port TCP port; 0 lets the system choose a free one (tests)
 * @param plaintext listen without TLS; false unless explicitly set (the audit flags true)
 * @param maxPacketSize largest MQTT packet, fixed header included, a client may send; announced to
 *     MQTT 5 clients in CONNACK. The default is the 64KiB telemetry limit plus 1KiB for the topic,
 *     the headers and the properties
 * @param maxConnections open connections at most; more are refused
 * @param maxConnectionsPerSecond new connections accepted per second at most (a token bucket that
 *     holds one second's worth); more are refused
 * @param receiveMaximum QoS 1 and 2 publishes a client may have waiting for an acknowledgement on
 *     one connection; announced to MQTT 5 clients, enforced for MQTT 3.1.1 by reading no further
 * @param connectTimeout how long a new connection has to complete its CONNECT
 * @param maxViolations authorisation violations (publishing or subscribing outside the device's own
 *     topics) one connection may commit before it is closed
 * @param maxSessionExpiry how long a disconnected client's session (subscriptions, QoS 2 state) is
 *     kept at most, whatever the client asks for; 0 keeps no session beyond its connection
 */
public record MqttConfig(
    String bindHost,
    Integer port,
    Boolean plaintext,
    DataSize maxPacketSize,
    Integer maxConnections,
    Integer maxConnectionsPerSecond,
    Integer receiveMaximum,
    Duration connectTimeout,
    Integer maxViolations,
    Duration maxSessionExpiry) {

  /** The largest packet MQTT can frame: a four-byte remaining length plus the fixed header. */
  private static final long MQTT_MAX_PACKET_BYTES = 268_435_455L + 5;

  public MqttConfig {
    bindHost = orDefault(bindHost, "0.0.0.0");
    Check.that(!bindHost.isBlank(), "bind_host", "must not be blank");
    port = intBetween("port", orDefault(port, 8883), 0, 65_535);
    plaintext = orDefault(plaintext, Boolean.FALSE);
    maxPacketSize =
        between(
            "max_packet_size",
            orDefault(maxPacketSize, DataSize.ofKibibytes(65)),
            DataSize.ofBytes(256),
            DataSize.ofBytes(MQTT_MAX_PACKET_BYTES));
    maxConnections = intBetween("max_connections", orDefault(maxConnections, 10_000), 1, 1_000_000);
    maxConnectionsPerSecond =
        intBetween(
            "max_connections_per_second", orDefault(maxConnectionsPerSecond, 1_000), 1, 1_000_000);
    receiveMaximum = intBetween("receive_maximum", orDefault(receiveMaximum, 32), 1, 65_535);
    connectTimeout =
        between(
            "connect_timeout",
            orDefault(connectTimeout, Duration.ofSeconds(10)),
            Duration.ofMillis(100),
            Duration.ofMinutes(5));
    maxViolations = intBetween("max_violations", orDefault(maxViolations, 3), 1, 1_000);
    maxSessionExpiry =
        between(
            "max_session_expiry",
            orDefault(maxSessionExpiry, Duration.ofHours(1)),
            Duration.ZERO,
            Duration.ofDays(7));
  }

  /** Every setting at its default. */
  public static MqttConfig defaults() {
    return new MqttConfig(null, null, null, null, null, null, null, null, null, null);
  }

  /** The same settings, listening on {@code host:port}. */
  public MqttConfig withAddress(String host, int port) {
    return new MqttConfig(
        host,
        port,
        plaintext,
        maxPacketSize,
        maxConnections,
        maxConnectionsPerSecond,
        receiveMaximum,
        connectTimeout,
        maxViolations,
        maxSessionExpiry);
  }

  /** The same settings, with or without TLS. */
  public MqttConfig withPlaintext(boolean plaintext) {
    return new MqttConfig(
        bindHost,
        port,
        plaintext,
        maxPacketSize,
        maxConnections,
        maxConnectionsPerSecond,
        receiveMaximum,
        connectTimeout,
        maxViolations,
        maxSessionExpiry);
  }

  private static Integer intBetween(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }
}

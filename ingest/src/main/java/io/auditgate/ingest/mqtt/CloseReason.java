package io.auditgate.ingest.mqtt;

/**
 * Why an accepted client's connection ended. The label is the counter's; the MQTT 5 DISCONNECT
 * reason code, where the gateway sends one, is chosen in {@link MqttReplies}.
 */
enum CloseReason {
  /** The client sent DISCONNECT. */
  CLIENT_DISCONNECT("client_disconnect"),
  /** The connection ended without a DISCONNECT (network failure, client crash). */
  CONNECTION_LOST("connection_lost"),
  /** Reading or writing the socket failed. */
  IO_ERROR("io_error"),
  /** No packet for one and a half times the keep-alive [MQTT-3.1.2-24]. */
  KEEP_ALIVE_TIMEOUT("keep_alive_timeout"),
  /** A packet could not be decoded (bad header, bad UTF-8, wildcard in a topic name, ...). */
  MALFORMED_PACKET("malformed_packet"),
  /** A well-formed packet that breaks the protocol (a second CONNECT, an empty topic, ...). */
  PROTOCOL_ERROR("protocol_error"),
  /** A packet larger than the announced maximum packet size. */
  PACKET_TOO_LARGE("packet_too_large"),
  /** More unacknowledged QoS 1 and 2 publishes than the announced receive maximum. */
  RECEIVE_MAXIMUM_EXCEEDED("receive_maximum_exceeded"),
  /** Too many authorisation violations, or one an MQTT 3.1.1 client cannot be told about. */
  NOT_AUTHORIZED("not_authorized"),
  /** A topic alias, which the gateway does not offer. */
  TOPIC_ALIAS_INVALID("topic_alias_invalid"),
  /** A subscription identifier, which the gateway does not offer. */
  SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED("subscription_identifiers_not_supported"),
  /** Another connection took over the same session [MQTT-3.1.4-2]. */
  SESSION_TAKEN_OVER("session_taken_over"),
  /** The ingest failed unexpectedly; nothing more is acknowledged on this connection. */
  INGEST_FAILED("ingest_failed"),
  /** The client certificate was revoked while the connection was open (the revocation sweep). */
  CERTIFICATE_REVOKED("certificate_revoked"),
  /** The listener is stopping. */
  SHUTTING_DOWN("server_shutting_down");

  private final String label;

  CloseReason(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }
}

package io.auditgate.ingest.mqtt;

/**
 * Why a connection never became a client. The label is the counter's; the CONNACK code for each
 * protocol version is chosen in {@link MqttReplies}, and some refusals are answered by closing the
 * connection without a CONNACK, as the specification requires for a malformed CONNECT.
 */
enum ConnectRefusal {
  MAX_CONNECTIONS("max_connections"),
  RATE_LIMITED("rate_limited"),
  UNSUPPORTED_PROTOCOL("unsupported_protocol"),
  IDENTIFIER_REJECTED("identifier_rejected"),
  BAD_CREDENTIALS("bad_credentials"),
  NOT_AUTHORIZED("not_authorized"),
  BAD_AUTHENTICATION_METHOD("bad_authentication_method"),
  WILL_TOPIC_INVALID("will_topic_invalid"),
  MALFORMED_CONNECT("malformed_connect"),
  PROTOCOL_ERROR("protocol_error"),
  PACKET_TOO_LARGE("packet_too_large"),
  CONNECT_TIMEOUT("connect_timeout"),
  TLS_HANDSHAKE_FAILED("tls_handshake_failed"),
  CLOSED_BY_CLIENT("closed_before_connect"),
  SHUTTING_DOWN("server_shutting_down");

  private final String label;

  ConnectRefusal(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }
}

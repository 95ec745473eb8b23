package io.auditgate.ingest.mqtt;

import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of the MQTT listener's counters, consistent enough for monitoring (each value is read
 * on its own). Counters only grow; {@code connectionsOpen} and {@code clientsConnected} are gauges.
 *
 * @param connectionsOpen TCP connections open now, whether or not they completed CONNECT
 * @param clientsConnected connections open now that were accepted with CONNACK 0
 * @param connectionsTotal TCP connections accepted since start
 * @param connectionsRefused connections that never became clients, by reason: refused at accept
 *     ({@code max_connections}, {@code rate_limited}), by CONNACK ({@code bad_credentials}, {@code
 *     not_authorized}, {@code identifier_rejected}, {@code unsupported_protocol}, ...) or closed
 *     before CONNACK ({@code connect_timeout}, {@code malformed_connect}, {@code
 *     tls_handshake_failed}, ...)
 * @param connectionsClosed accepted clients' connections that ended, by reason ({@code
 *     client_disconnect}, {@code connection_lost}, {@code keep_alive_timeout}, {@code
 *     malformed_packet}, {@code packet_too_large}, {@code not_authorized}, ...)
 * @param publishesQos0 PUBLISH packets received at QoS 0
 * @param publishesQos1 PUBLISH packets received at QoS 1
 * @param publishesQos2 PUBLISH packets received at QoS 2, duplicates included
 * @param duplicatesQos2 QoS 2 resends recognised and not stored again
 * @param acksSent PUBACK, PUBREC and PUBCOMP packets sent, with any reason code
 * @param rejects publishes not stored, by reason: the ingest's reason codes ({@code invalid_json},
 *     ...) and the listener's own ({@code not_authorized}, {@code topic_invalid})
 * @param violations publishes, subscriptions and unsubscriptions outside the device's own topics
 * @param busyEvents publishes the ingest answered busy (the log full or failed)
 * @param bytesIn MQTT bytes received (after TLS)
 * @param willsPublished will messages handed to the ingest
 * @param connectivityEventsLost connected and disconnected device events the ingest did not store
 *     (the log full or failed), which are logged and not retried
 * @param commandsSent commands written to devices
 * @param unexpectedErrors exceptions that reached the connection handler and were not I/O errors
 */
public record MqttMetrics(
    long connectionsOpen,
    long clientsConnected,
    long connectionsTotal,
    Map<String, Long> connectionsRefused,
    Map<String, Long> connectionsClosed,
    long publishesQos0,
    long publishesQos1,
    long publishesQos2,
    long duplicatesQos2,
    long acksSent,
    Map<String, Long> rejects,
    long violations,
    long busyEvents,
    long bytesIn,
    long willsPublished,
    long connectivityEventsLost,
    long commandsSent,
    long unexpectedErrors) {

  public MqttMetrics {
    connectionsRefused = Map.copyOf(Objects.requireNonNull(connectionsRefused, "refused"));
    connectionsClosed = Map.copyOf(Objects.requireNonNull(connectionsClosed, "closed"));
    rejects = Map.copyOf(Objects.requireNonNull(rejects, "rejects"));
  }

  /** Connections refused for {@code reason}, 0 if none. */
  public long refused(String reason) {
    return connectionsRefused.getOrDefault(reason, 0L);
  }

  /** Clients' connections closed for {@code reason}, 0 if none. */
  public long closed(String reason) {
    return connectionsClosed.getOrDefault(reason, 0L);
  }

  /** Publishes rejected for {@code reason}, 0 if none. */
  public long rejected(String reason) {
    return rejects.getOrDefault(reason, 0L);
  }
}

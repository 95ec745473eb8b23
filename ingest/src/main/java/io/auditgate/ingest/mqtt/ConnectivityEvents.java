package io.auditgate.ingest.mqtt;

import io.auditgate.core.ingest.DeviceIdentity;
import io.auditgate.core.ingest.IngestRequest;
import io.auditgate.core.ingest.TelemetryIngest;
import io.auditgate.ingest.events.DeviceEventLog;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Hands a device event to the ingest when a client's connection is accepted and when an accepted
 * connection ends, on the device's own {@code devices/{id}/events} topic, so that connectivity
 * reaches the store through the same log as telemetry. Bodies:
 *
 * <pre>{@code
 * {"event":"connected","client_id":"c1","protocol":"mqtt5","tls":"mtls","auth":"client_certificate",
 *  "certificate_sha256":"3f1c…","certificate_subject":"CN=b-l475e-0001","certificate_not_after":"2027-11-28T10:00:00Z",
 *  "certificate_der":"MIIB…"}
 * {"event":"disconnected","client_id":"c1","reason":"connection_lost","other_connections":0}
 * }</pre>
 *
 * <p>The {@code certificate_*} fields are there when the client presented a certificate in the TLS
 * handshake, written by {@link DeviceEventLog#putCertificate} as the HTTPS listener writes them.
 * They are the certificate posture the fleet model reports, and the certificate inventory's
 * listener sightings.
 *
 * <p>{@code reason} is the {@link CloseReason} label; {@code other_connections} counts the device's
 * accepted connections still open on this listener (a session taken over leaves one), so that a
 * disconnect that leaves the device connected is not read as the device going offline.
 *
 * <p>Fire and forget ({@link DeviceEventLog}): never blocks and never fails the connection. An
 * event the ingest does not store (the log full or failed) is counted in {@link
 * MqttMetrics#connectivityEventsLost} and logged, not retried. Per connection, never per message.
 * Thread-safe.
 */
final class ConnectivityEvents {
  /** How the connection is protected, as the events name it. */
  enum Tls {
    PLAINTEXT,
    TLS,
    MTLS;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final DeviceEventLog events;

  ConnectivityEvents(TelemetryIngest ingest, Clock clock, MetricsRecorder metrics) {
    this.events =
        new DeviceEventLog(
            ingest, clock, IngestRequest.Transport.MQTT, metrics::connectivityEventLost);
  }

  void connected(
      DeviceIdentity identity,
      String clientId,
      MqttVersion version,
      Tls tls,
      Optional<X509Certificate> clientCertificate) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", "connected");
    body.put("client_id", clientId);
    body.put("protocol", protocol(version));
    body.put("tls", tls.label());
    body.put("auth", identity.method().name().toLowerCase(Locale.ROOT));
    clientCertificate.ifPresent(certificate -> DeviceEventLog.putCertificate(body, certificate));
    events.publish(identity, body);
  }

  void disconnected(
      DeviceIdentity identity, String clientId, CloseReason reason, int otherConnections) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", "disconnected");
    body.put("client_id", clientId);
    body.put("reason", reason.label());
    body.put("other_connections", otherConnections);
    events.publish(identity, body);
  }

  static String protocol(MqttVersion version) {
    return switch (version) {
      case MQTT_5 -> "mqtt5";
      case MQTT_3_1_1 -> "mqtt3.1.1";
      case MQTT_3_1 -> "mqtt3.1";
    };
  }
}

package io.auditgate.ingest.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.core.ingest.DeviceIdentity;
import io.auditgate.core.ingest.IngestRequest;
import io.auditgate.core.ingest.IngestResult;
import io.auditgate.core.ingest.TelemetryIngest;
import io.auditgate.ingest.auth.Fingerprints;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * handshake: the SHA-256 of its DER encoding (lower-case hex, as the certificate bindings use), its
 * subject (RFC 2253), its expiry (ISO-8601 UTC) and the DER itself (base64, standard alphabet with
 * padding, no line breaks) so that the certificate inventory can parse the whole certificate. They
 * are the certificate posture the fleet model reports, and the certificate inventory's listener
 * sightings.
 *
 * <p>{@code reason} is the {@link CloseReason} label; {@code other_connections} counts the device's
 * accepted connections still open on this listener (a session taken over leaves one), so that a
 * disconnect that leaves the device connected is not read as the device going offline.
 *
 * <p>Fire and forget: never blocks and never fails the connection. An event the ingest does not
 * store (the log full or failed) is counted in {@link MqttMetrics#connectivityEventsLost} and
 * logged, not retried. Per connection, never per message. Thread-safe.
 */
final class ConnectivityEvents {
  private static final Logger log = LoggerFactory.getLogger(ConnectivityEvents.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How the connection is protected, as the events name it. */
  enum Tls {
    PLAINTEXT,
    TLS,
    MTLS;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final TelemetryIngest ingest;
  private final Clock clock;
  private final MetricsRecorder metrics;

  ConnectivityEvents(TelemetryIngest ingest, Clock clock, MetricsRecorder metrics) {
    this.ingest = ingest;
    this.clock = clock;
    this.metrics = metrics;
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
    clientCertificate.ifPresent(
        certificate -> {
          body.put("certificate_sha256", Fingerprints.sha256Hex(certificate));
          body.put("certificate_subject", certificate.getSubjectX500Principal().getName());
          body.put("certificate_not_after", certificate.getNotAfter().toInstant().toString());
          try {
            body.put(
                "certificate_der", Base64.getEncoder().encodeToString(certificate.getEncoded()));
          } catch (CertificateEncodingException e) {
            // The certificate came out of a completed handshake: it re-encodes. If it ever does
            // not, the event still carries the fingerprint.
            log.warn("cannot re-encode the client certificate of {}", identity.deviceId(), e);
          }
        });
    publish(identity, body);
  }

  void disconnected(
      DeviceIdentity identity, String clientId, CloseReason reason, int otherConnections) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", "disconnected");
    body.put("client_id", clientId);
    body.put("reason", reason.label());
    body.put("other_connections", otherConnections);
    publish(identity, body);
  }

  static String protocol(MqttVersion version) {
    return switch (version) {
      case MQTT_5 -> "mqtt5";
      case MQTT_3_1_1 -> "mqtt3.1.1";
      case MQTT_3_1 -> "mqtt3.1";
    };
  }

  private void publish(DeviceIdentity identity, Map<String, Object> body) {
    try {
      IngestRequest request =
          new IngestRequest(
              identity,
              IngestRequest.Transport.MQTT,
              "devices/" + identity.deviceId() + "/events",
              JSON.writeValueAsBytes(body),
              clock.instant(),
              Optional.empty());
      ingest
          .ingest(request)
          .whenComplete((result, error) -> report(identity, body.get("event"), result, error));
    } catch (JsonProcessingException | RuntimeException e) {
      report(identity, body.get("event"), null, e);
    }
  }

  private void report(DeviceIdentity identity, Object event, IngestResult result, Throwable error) {
    if (error != null) {
      metrics.connectivityEventLost();
      log.warn("the {} event of device {} was lost: {}", event, identity.deviceId(), error, error);
    } else if (result instanceof IngestResult.Busy busy) {
      metrics.connectivityEventLost();
      log.warn(
          "the {} event of device {} was lost: {}", event, identity.deviceId(), busy.message());
    } else if (result instanceof IngestResult.Rejected rejected) {
      metrics.connectivityEventLost();
      log.warn(
          "the {} event of device {} was rejected: {}",
          event,
          identity.deviceId(),
          rejected.message());
    }
  }
}

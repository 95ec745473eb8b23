package io.auditgate.ingest.http;

import io.auditgate.core.ingest.DeviceIdentity;
import io.auditgate.core.ingest.IngestRequest;
import io.auditgate.core.ingest.TelemetryIngest;
import io.auditgate.ingest.auth.Fingerprints;
import io.auditgate.ingest.events.DeviceEventLog;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Records that a device authenticated at the HTTPS listener with a client certificate, as a device
 * event on its own {@code devices/{id}/events} topic:
 *
 * <pre>{@code
 * {"event":"certificate_presented","protocol":"https","tls":"mtls","auth":"client_certificate",
 *  "certificate_sha256":"3f1c…","certificate_subject":"CN=b-l475e-0001",
 *  "certificate_not_after":"2027-11-28T10:00:00Z","certificate_der":"MIIB…"}
 * }</pre>
 *
 * <p>The {@code certificate_*} fields are the MQTT listener's ({@link
 * DeviceEventLog#putCertificate}); the store records the event in {@code device_connectivity}, and
 * the certificate inventory turns it into a {@code listener_https} sighting at {@code
 * https@<gateway>}. It is deliberately not a {@code connected} event: HTTP has no session, so it
 * moves the device's last activity, never its last connect or its connectivity status.
 *
 * <p>Never per request: the listener calls {@link #presented} at most once per TLS connection, and
 * a (device, certificate) pair reported within {@code interval} is not reported again, so a device
 * posting every second on a new connection each time writes one event per interval.
 *
 * <p>Fire and forget: never blocks, never fails the request. Events handed to the log, skipped as
 * repeats, and lost (the log full or failed) are counted in {@link HttpIngestMetrics}. Thread-safe.
 */
final class CertificateEvents {
  /** Most (device, certificate) pairs remembered for de-duplication (some MB at most). */
  static final int MAX_REMEMBERED = 50_000;

  private final DeviceEventLog events;
  private final RecentCertificates recent;
  private final MetricsRecorder metrics;

  CertificateEvents(
      TelemetryIngest ingest, Clock clock, MetricsRecorder metrics, Duration interval) {
    this.metrics = metrics;
    this.events =
        new DeviceEventLog(
            ingest, clock, IngestRequest.Transport.HTTP, metrics::certificateEventLost);
    this.recent = new RecentCertificates(interval, MAX_REMEMBERED, clock);
  }

  /** {@code identity} authenticated with {@code leaf}, the first of its verified chain. */
  void presented(DeviceIdentity identity, X509Certificate leaf) {
    if (!recent.shouldReport(identity.deviceId(), Fingerprints.sha256Hex(leaf))) {
      metrics.certificateEventSkipped();
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", "certificate_presented");
    body.put("protocol", "https");
    body.put("tls", "mtls");
    body.put("auth", identity.method().name().toLowerCase(Locale.ROOT));
    DeviceEventLog.putCertificate(body, leaf);
    metrics.certificateEventSent();
    events.publish(identity, body);
  }
}

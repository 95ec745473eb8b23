package io.auditgate.ingest.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.core.ingest.DeviceIdentity;
import io.auditgate.core.ingest.IngestRequest;
import io.auditgate.core.ingest.IngestResult;
import io.auditgate.core.ingest.TelemetryIngest;
import io.auditgate.ingest.auth.Fingerprints;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands device events a listener writes on a device's behalf to the ingest, on the device's own
 * {@code devices/{id}/events} topic (schema {@code device_event.v1}), fire and forget.
 *
 * <p>A client certificate is described by the same four fields whichever listener saw it ({@link
 * #putCertificate}): {@code certificate_sha256} (SHA-256 of the DER, lower-case hex, as the
 * certificate bindings use), {@code certificate_subject} (RFC 2253), {@code certificate_not_after}
 * (ISO-8601 UTC) and {@code certificate_der} (the DER, base64 with the standard alphabet and
 * padding, no line breaks) so that the certificate inventory can parse the whole certificate. The
 * store moves {@code certificate_der} into its own column; the certificate inventory turns it into
 * a listener sighting.
 *
 * <p>Never blocks and never throws: an event the ingest does not store (the log full or failed, or
 * the event refused) runs {@code onLost} and is logged, not retried. Thread-safe.
 */
public final class DeviceEventLog {
  private static final Logger log = LoggerFactory.getLogger(DeviceEventLog.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TelemetryIngest ingest;
  private final Clock clock;
  private final IngestRequest.Transport transport;
  private final Runnable onLost;

  /**
   * @param ingest where the events go
   * @param clock stamps the events' {@code receivedAt}
   * @param transport the listener writing them, recorded in the envelope
   * @param onLost run (on any thread, must not block) for each event the ingest did not store
   */
  public DeviceEventLog(
      TelemetryIngest ingest, Clock clock, IngestRequest.Transport transport, Runnable onLost) {
    this.ingest = Objects.requireNonNull(ingest, "ingest");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.onLost = Objects.requireNonNull(onLost, "onLost");
  }

  /** The topic a device's events go to. */
  public static String topic(String deviceId) {
    return "devices/" + deviceId + "/events";
  }

  /** Adds the {@code certificate_*} fields describing {@code certificate} to {@code body}. */
  public static void putCertificate(Map<String, Object> body, X509Certificate certificate) {
    body.put("certificate_sha256", Fingerprints.sha256Hex(certificate));
    body.put("certificate_subject", certificate.getSubjectX500Principal().getName());
    body.put("certificate_not_after", certificate.getNotAfter().toInstant().toString());
    try {
      body.put("certificate_der", Base64.getEncoder().encodeToString(certificate.getEncoded()));
    } catch (CertificateEncodingException e) {
      // The certificate came out of a completed handshake: it re-encodes. If it ever does not,
      // the event still carries the fingerprint.
      log.warn("cannot re-encode the client certificate {}", body.get("certificate_sha256"), e);
    }
  }

  /**
   * Hands {@code body} (which names its {@code event}) to the ingest as an event of {@code
   * identity}'s device. Returns at once.
   */
  public void publish(DeviceIdentity identity, Map<String, Object> body) {
    Object event = body.get("event");
    try {
      IngestRequest request =
          new IngestRequest(
              identity,
              transport,
              topic(identity.deviceId()),
              JSON.writeValueAsBytes(body),
              clock.instant(),
              Optional.empty());
      ingest
          .ingest(request)
          .whenComplete((result, error) -> report(identity, event, result, error));
    } catch (JsonProcessingException | RuntimeException e) {
      report(identity, event, null, e);
    }
  }

  private void report(DeviceIdentity identity, Object event, IngestResult result, Throwable error) {
    if (error != null) {
      onLost.run();
      log.warn("the {} event of device {} was lost: {}", event, identity.deviceId(), error, error);
    } else if (result instanceof IngestResult.Busy busy) {
      onLost.run();
      log.warn(
          "the {} event of device {} was lost: {}", event, identity.deviceId(), busy.message());
    } else if (result instanceof IngestResult.Rejected rejected) {
      onLost.run();
      log.warn(
          "the {} event of device {} was rejected: {}",
          event,
          identity.deviceId(),
          rejected.message());
    }
  }
}

package io.auditgate.core.telemetry;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * One telemetry message after validation and normalisation, whatever its wire format (the seed's
 * JSON or SenML) or transport (MQTT, HTTPS, bridge).
 *
 * @param deviceId the authenticated device, {@code ^[A-Za-z0-9_-]{1,64}$}
 * @param gatewayId the gateway that received it
 * @param seq the device's sequence number, if it sent one (the idempotency key with the device)
 * @param deviceTime the device's timestamp, if it sent one
 * @param receivedAt when the gateway received it
 * @param metrics finite numbers by key ({@code ^[a-z][a-z0-9_]{0,31}$}), at most 32
 * @param tags strings by key, at most 16
 * @param payload the free-form {@code payload} JSON, as text, if any
 * @param traceId W3C trace id (32 lower-case hex digits), propagated end to end
 * @param sourceTopic the MQTT topic or HTTP path it arrived on
 * @param format the wire format it was decoded from
 */
public record Telemetry(
    String deviceId,
    String gatewayId,
    OptionalLong seq,
    Optional<Instant> deviceTime,
    Instant receivedAt,
    Map<String, Double> metrics,
    Map<String, String> tags,
    Optional<String> payload,
    String traceId,
    String sourceTopic,
    Format format) {

  public static final Pattern DEVICE_ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
  public static final Pattern KEY = Pattern.compile("^[a-z][a-z0-9_]{0,31}$");
  public static final int MAX_METRICS = 32;
  public static final int MAX_TAGS = 16;
  public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

  /**
   * Whether {@code id} matches {@link #DEVICE_ID}. Checked by hand: it runs several times per
   * message on the ingest path, where a regex match costs more than the rest of the check.
   */
  public static boolean isDeviceId(String id) {
    int n = id.length();
    if (n < 1 || n > 64) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = id.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code key} matches {@link #KEY}; by hand for the same reason as {@link #isDeviceId}.
   */
  public static boolean isKey(String key) {
    int n = key.length();
    if (n < 1 || n > 32 || key.charAt(0) < 'a' || key.charAt(0) > 'z') {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = key.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /** Wire formats the gateway decodes. */
  public enum Format {
    /** The seed's JSON: {@code ts}, {@code seq}, {@code metrics}, {@code tags}, {@code payload}. */
    SEED_JSON,
    /** SenML JSON (RFC 8428). */
    SENML_JSON,
    /**
     * A device event or firmware state report ({@code devices/{id}/events}, {@code
     * devices/{id}/firmware/state}): one JSON object, kept whole as the payload, no metrics.
     */
    EVENT_JSON
  }

  public Telemetry {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(gatewayId, "gatewayId");
    Objects.requireNonNull(seq, "seq");
    Objects.requireNonNull(deviceTime, "deviceTime");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(sourceTopic, "sourceTopic");
    Objects.requireNonNull(format, "format");
    if (!isDeviceId(deviceId)) {
      throw new IllegalArgumentException("deviceId must match " + DEVICE_ID + ", got " + deviceId);
    }
    metrics = Map.copyOf(metrics);
    tags = Map.copyOf(tags);
    if (metrics.size() > MAX_METRICS || tags.size() > MAX_TAGS) {
      throw new IllegalArgumentException(
          "at most "
              + MAX_METRICS
              + " metrics and "
              + MAX_TAGS
              + " tags, got "
              + metrics.size()
              + " and "
              + tags.size());
    }
  }
}

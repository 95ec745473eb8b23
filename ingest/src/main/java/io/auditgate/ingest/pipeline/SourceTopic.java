package io.auditgate.ingest.pipeline;

import io.auditgate.core.ingest.IngestRequest.Transport;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.envelope.EnvelopeSchema;
import java.util.Objects;
import java.util.Optional;

/**
 * The device and schema a message's MQTT topic or HTTP path names. The topics are the device
 * contract: {@code devices/{id}/telemetry}, {@code devices/{id}/events} and {@code
 * devices/{id}/firmware/state} over MQTT (and the broker bridge), {@code /v1/ingest/{id}} over
 * HTTP, with {@code id} matching {@code ^[A-Za-z0-9_-]{1,64}$}. A path belongs to its transport: an
 * MQTT client publishing to {@code /v1/ingest/x} is as unknown as an HTTP request for {@code
 * devices/x/telemetry}. An HTTP path is matched without a query string; transports pass the path.
 *
 * <p>One exception: over HTTP, {@code devices/{id}/events} is the HTTPS listener's own device
 * events (a client certificate presented), which it writes on the device's behalf. No device
 * request can name it: the listener builds the paths it passes from its routes, all under {@code
 * /v1/ingest/}.
 *
 * @param deviceId the device the topic names (not yet checked against who sent it)
 * @param schema what a message on this topic is
 */
public record SourceTopic(String deviceId, EnvelopeSchema schema) {
  private static final String MQTT_PREFIX = "devices/";
  private static final String HTTP_PREFIX = "/v1/ingest/";

  public SourceTopic {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(schema, "schema");
  }

  /**
   * What {@code topic} names, if it is one of the contract's topics for {@code transport}. Matched
   * by hand: this runs for every message, and a device id cannot hold a {@code /}, so the id is
   * simply what lies between the prefix and the next one.
   */
  public static Optional<SourceTopic> parse(Transport transport, String topic) {
    if (transport == Transport.HTTP && !topic.startsWith(MQTT_PREFIX)) {
      String id = topic.startsWith(HTTP_PREFIX) ? topic.substring(HTTP_PREFIX.length()) : "";
      return Telemetry.isDeviceId(id)
          ? Optional.of(new SourceTopic(id, EnvelopeSchema.TELEMETRY_V1))
          : Optional.empty();
    }
    int slash = topic.indexOf('/', MQTT_PREFIX.length());
    if (!topic.startsWith(MQTT_PREFIX) || slash < 0) {
      return Optional.empty();
    }
    String id = topic.substring(MQTT_PREFIX.length(), slash);
    EnvelopeSchema schema =
        switch (topic.substring(slash + 1)) {
          case "telemetry" -> transport == Transport.HTTP ? null : EnvelopeSchema.TELEMETRY_V1;
          case "events" -> EnvelopeSchema.DEVICE_EVENT_V1;
          case "firmware/state" ->
              transport == Transport.HTTP ? null : EnvelopeSchema.FIRMWARE_UPDATE_V1;
          default -> null;
        };
    return schema != null && Telemetry.isDeviceId(id)
        ? Optional.of(new SourceTopic(id, schema))
        : Optional.empty();
  }
}

package io.auditgate.ingest.pipeline;

import io.auditgate.core.ingest.IngestRequest.Transport;
import io.auditgate.envelope.EnvelopeSchema;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The device and schema a message's MQTT topic or HTTP path names. The topics are the device
 * contract: {@code devices/{id}/telemetry}, {@code devices/{id}/events} and {@code
 * devices/{id}/firmware/state} over MQTT (and the broker bridge), {@code /v1/ingest/{id}} over
 * HTTP, with {@code id} matching {@code ^[A-Za-z0-9_-]{1,64}$}. A path belongs to its transport: an
 * MQTT client publishing to {@code /v1/ingest/x} is as unknown as an HTTP request for {@code
 * devices/x/telemetry}. An HTTP path is matched without a query string; transports pass the path.
 *
 * @param deviceId the device the topic names (not yet checked against who sent it)
 * @param schema what a message on this topic is
 */
public record SourceTopic(String deviceId, EnvelopeSchema schema) {
  private static final Pattern MQTT =
      Pattern.compile("devices/([A-Za-z0-9_-]{1,64})/(telemetry|events|firmware/state)");
  private static final Pattern HTTP = Pattern.compile("/v1/ingest/([A-Za-z0-9_-]{1,64})");

  public SourceTopic {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(schema, "schema");
  }

  /** What {@code topic} names, if it is one of the contract's topics for {@code transport}. */
  public static Optional<SourceTopic> parse(Transport transport, String topic) {
    if (transport == Transport.HTTP) {
      Matcher http = HTTP.matcher(topic);
      return http.matches()
          ? Optional.of(new SourceTopic(http.group(1), EnvelopeSchema.TELEMETRY_V1))
          : Optional.empty();
    }
    Matcher mqtt = MQTT.matcher(topic);
    if (!mqtt.matches()) {
      return Optional.empty();
    }
    EnvelopeSchema schema =
        switch (mqtt.group(2)) {
          case "telemetry" -> EnvelopeSchema.TELEMETRY_V1;
          case "events" -> EnvelopeSchema.DEVICE_EVENT_V1;
          default -> EnvelopeSchema.FIRMWARE_UPDATE_V1;
        };
    return Optional.of(new SourceTopic(mqtt.group(1), schema));
  }
}

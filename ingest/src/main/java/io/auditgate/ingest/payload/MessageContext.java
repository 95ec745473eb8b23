package io.auditgate.ingest.payload;

import java.time.Instant;
import java.util.Objects;

/**
 * What is known about a message before its body is read; the decoders stamp it on the {@link
 * io.auditgate.core.telemetry.Telemetry} they produce.
 *
 * @param deviceId the device the message is attributed to (already checked against its identity)
 * @param gatewayId this gateway
 * @param receivedAt when the transport read it; SenML's relative times count from here
 * @param traceId the W3C trace id the message carries from now on
 * @param sourceTopic the MQTT topic or HTTP path it arrived on
 */
public record MessageContext(
    String deviceId, String gatewayId, Instant receivedAt, String traceId, String sourceTopic) {
  public MessageContext {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(gatewayId, "gatewayId");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(sourceTopic, "sourceTopic");
  }
}

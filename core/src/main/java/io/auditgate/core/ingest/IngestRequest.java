package io.auditgate.core.ingest;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One message as a transport received it, before validation.
 *
 * @param identity who sent it (authenticated by the transport)
 * @param transport where it came in
 * @param sourceTopic the MQTT topic (or the HTTP path) it was published to
 * @param body the raw bytes
 * @param receivedAt when the transport read it
 * @param traceId an incoming W3C trace id (HTTP {@code traceparent}, MQTT 5 user property), if any
 */
public record IngestRequest(
    DeviceIdentity identity,
    Transport transport,
    String sourceTopic,
    byte[] body,
    Instant receivedAt,
    Optional<String> traceId) {

  /** The transports that feed the ingest pipeline. */
  public enum Transport {
    MQTT,
    HTTP,
    BRIDGE
  }

  public IngestRequest {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(sourceTopic, "sourceTopic");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(traceId, "traceId");
  }
}

package io.auditgate.envelope;

import io.auditgate.core.ingest.IngestRequest;
import io.auditgate.core.telemetry.Telemetry;
import java.util.Objects;

/**
 * One message as the gateway stores and forwards it: the {@link Telemetry}, plus what it is and how
 * it arrived, which {@link Telemetry} does not carry.
 *
 * @param schema what the message is; decides the {@code schema} field and the record type
 * @param transport how it reached this gateway
 * @param telemetry the message
 */
public record Envelope(
    EnvelopeSchema schema, IngestRequest.Transport transport, Telemetry telemetry) {
  public Envelope {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(telemetry, "telemetry");
    boolean isEvent = telemetry.format() == Telemetry.Format.EVENT_JSON;
    if (isEvent == (schema == EnvelopeSchema.TELEMETRY_V1)) {
      throw new IllegalArgumentException(
          "schema " + schema.wireName() + " cannot hold format " + telemetry.format());
    }
  }
}

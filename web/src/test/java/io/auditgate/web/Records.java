package io.auditgate.web;

import io.auditgate.core.ingest.IngestRequest.Transport;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.envelope.Envelope;
import io.auditgate.envelope.EnvelopeCodec;
import io.auditgate.envelope.EnvelopeSchema;
import io.auditgate.store.StoreRecord;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Telemetry records as a gateway writes them into its log, for the real StoreWriter. */
final class Records {
  private static final EnvelopeCodec ENVELOPES = new EnvelopeCodec();

  private Records() {}

  static StoreRecord telemetry(
      String gateway,
      long offset,
      String device,
      long seq,
      Instant at,
      Map<String, Double> metrics) {
    Telemetry t =
        new Telemetry(
            device,
            gateway,
            OptionalLong.of(seq),
            Optional.empty(),
            at,
            metrics,
            Map.of(),
            Optional.empty(),
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "devices/" + device + "/telemetry",
            Telemetry.Format.SEED_JSON);
    byte[] body = ENVELOPES.encode(new Envelope(EnvelopeSchema.TELEMETRY_V1, Transport.MQTT, t));
    return new StoreRecord(gateway, offset, RecordTypes.TELEMETRY, body);
  }
}

package io.auditgate.fleet;

import io.auditgate.core.ingest.IngestRequest.Transport;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.envelope.Envelope;
import io.auditgate.envelope.EnvelopeCodec;
import io.auditgate.envelope.EnvelopeSchema;
import io.auditgate.envelope.GatewayEvent;
import io.auditgate.envelope.GatewayEventCodec;
import io.auditgate.store.StoreRecord;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Records as a gateway writes them into its log, for the real StoreWriter in tests. */
final class StoreRecords {
  static final EnvelopeCodec ENVELOPES = new EnvelopeCodec();
  static final GatewayEventCodec EVENTS = new GatewayEventCodec();
  static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

  private StoreRecords() {}

  static StoreRecord telemetry(
      String gateway,
      long offset,
      String device,
      long seq,
      Instant at,
      Map<String, Double> metrics) {
    return telemetry(gateway, offset, device, seq, at, Optional.empty(), metrics);
  }

  static StoreRecord telemetry(
      String gateway,
      long offset,
      String device,
      long seq,
      Instant at,
      Optional<Instant> deviceTime,
      Map<String, Double> metrics) {
    Telemetry t =
        new Telemetry(
            device,
            gateway,
            OptionalLong.of(seq),
            deviceTime,
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

  /** Telemetry with temp_c = seq. */
  static StoreRecord reading(String gateway, long offset, String device, long seq, Instant at) {
    return telemetry(gateway, offset, device, seq, at, Map.of("temp_c", (double) seq));
  }

  static StoreRecord gatewayEvent(
      String gateway, long offset, GatewayEvent.Kind kind, Instant at, Map<String, String> attrs) {
    byte[] body = EVENTS.encode(new GatewayEvent(gateway, kind, at, attrs));
    return new StoreRecord(gateway, offset, RecordTypes.GATEWAY_EVENT, body);
  }

  static StoreRecord connected(
      String gateway, long offset, String device, Instant at, String certificateJson) {
    return deviceEvent(
        gateway,
        offset,
        device,
        at,
        "{\"event\":\"connected\",\"client_id\":\"board\",\"protocol\":\"mqtt5\","
            + "\"tls\":\"mtls\",\"auth\":\"client_certificate\""
            + certificateJson
            + "}");
  }

  static StoreRecord disconnected(
      String gateway, long offset, String device, Instant at, String reason) {
    return deviceEvent(
        gateway,
        offset,
        device,
        at,
        "{\"event\":\"disconnected\",\"client_id\":\"board\",\"reason\":\""
            + reason
            + "\",\"other_connections\":0}");
  }

  static StoreRecord deviceEvent(
      String gateway, long offset, String device, Instant at, String json) {
    Telemetry t =
        new Telemetry(
            device,
            gateway,
            OptionalLong.empty(),
            Optional.empty(),
            at,
            Map.of(),
            Map.of(),
            Optional.of(json),
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "devices/" + device + "/events",
            Telemetry.Format.EVENT_JSON);
    byte[] body = ENVELOPES.encode(new Envelope(EnvelopeSchema.DEVICE_EVENT_V1, Transport.MQTT, t));
    return new StoreRecord(gateway, offset, RecordTypes.DEVICE_EVENT, body);
  }
}

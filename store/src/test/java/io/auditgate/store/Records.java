package io.auditgate.store;

import io.auditgate.core.ingest.IngestRequest.Transport;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.envelope.Envelope;
import io.auditgate.envelope.EnvelopeCodec;
import io.auditgate.envelope.EnvelopeSchema;
import io.auditgate.envelope.GatewayEvent;
import io.auditgate.envelope.GatewayEventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Records as the gateway writes them, for tests. */
final class Records {
  static final EnvelopeCodec ENVELOPES = new EnvelopeCodec();
  static final GatewayEventCodec EVENTS = new GatewayEventCodec();
  static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

  private Records() {}

  static Telemetry telemetry(
      String device, String gateway, OptionalLong seq, Instant at, Map<String, Double> metrics) {
    return new Telemetry(
        device,
        gateway,
        seq,
        Optional.empty(),
        at,
        metrics,
        Map.of("site", "lab"),
        Optional.of("{\"fw\":\"1.2.0\"}"),
        "4bf92f3577b34da6a3ce929d0e0e4736",
        "devices/" + device + "/telemetry",
        Telemetry.Format.SEED_JSON);
  }

  static StoreRecord message(String gateway, long offset, Telemetry t) {
    byte[] body = ENVELOPES.encode(new Envelope(EnvelopeSchema.TELEMETRY_V1, Transport.MQTT, t));
    return new StoreRecord(gateway, offset, RecordTypes.TELEMETRY, body);
  }

  /** Telemetry from {@code device} with {@code seq}, temp_c = seq, humidity = 40. */
  static StoreRecord withSeq(String gateway, long offset, String device, long seq, Instant at) {
    return message(
        gateway,
        offset,
        telemetry(
            device,
            gateway,
            OptionalLong.of(seq),
            at,
            Map.of("temp_c", (double) seq, "humidity", 40.0)));
  }

  /** Like {@link #withSeq} with the device's own time next to the gateway's {@code receivedAt}. */
  static StoreRecord withDeviceTime(
      String gateway,
      long offset,
      String device,
      long seq,
      Instant receivedAt,
      Instant deviceTime) {
    return message(
        gateway,
        offset,
        new Telemetry(
            device,
            gateway,
            OptionalLong.of(seq),
            Optional.of(deviceTime),
            receivedAt,
            Map.of("temp_c", (double) seq),
            Map.of(),
            Optional.empty(),
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "devices/" + device + "/telemetry",
            Telemetry.Format.SEED_JSON));
  }

  /** Telemetry without a seq: keyed by gateway and offset. */
  static StoreRecord withoutSeq(String gateway, long offset, String device, Instant at) {
    return message(
        gateway,
        offset,
        telemetry(device, gateway, OptionalLong.empty(), at, Map.of("temp_c", 20.0)));
  }

  static StoreRecord gatewayEvent(String gateway, long offset, GatewayEvent.Kind kind, Instant at) {
    byte[] body =
        EVENTS.encode(new GatewayEvent(gateway, kind, at, Map.of("bytes_truncated", "17")));
    return new StoreRecord(gateway, offset, RecordTypes.GATEWAY_EVENT, body);
  }

  static StoreRecord garbage(String gateway, long offset) {
    return new StoreRecord(
        gateway, offset, RecordTypes.TELEMETRY, "{not json".getBytes(StandardCharsets.UTF_8));
  }
}

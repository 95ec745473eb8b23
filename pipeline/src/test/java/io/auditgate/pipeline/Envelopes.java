package io.auditgate.pipeline;

import io.auditgate.core.ingest.IngestRequest.Transport;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.envelope.Envelope;
import io.auditgate.envelope.EnvelopeCodec;
import io.auditgate.envelope.EnvelopeSchema;
import io.auditgate.envelope.GatewayEvent;
import io.auditgate.envelope.GatewayEventCodec;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Envelope bytes as the ingest pipeline writes them into the log, for the sink's tests. */
public final class Envelopes {
  public static final String GATEWAY = "gw-test-1";
  private static final EnvelopeCodec CODEC = new EnvelopeCodec();
  private static final Instant AT = Instant.parse("2024-05-01T12:00:00.123Z");

  private Envelopes() {}

  /** A trace id that names the device and seq, so a test can check it arrived. */
  public static String traceId(String deviceId, long seq) {
    long h = deviceId.hashCode();
    return HexFormat.of().toHexDigits(h | 1L << 60) + HexFormat.of().toHexDigits(seq + 1);
  }

  public static byte[] telemetry(String deviceId, long seq) {
    return telemetry(deviceId, seq, Optional.empty());
  }

  /** Telemetry with {@code payload} (a JSON value), for records of a chosen size. */
  public static byte[] telemetry(String deviceId, long seq, Optional<String> payload) {
    return CODEC.encode(
        new Envelope(
            EnvelopeSchema.TELEMETRY_V1,
            Transport.MQTT,
            new Telemetry(
                deviceId,
                GATEWAY,
                OptionalLong.of(seq),
                Optional.empty(),
                AT,
                Map.of("temp_c", 21.5),
                Map.of(),
                payload,
                traceId(deviceId, seq),
                "devices/" + deviceId + "/telemetry",
                Telemetry.Format.SEED_JSON)));
  }

  public static byte[] event(EnvelopeSchema schema, String deviceId, long seq) {
    String kind = schema == EnvelopeSchema.FIRMWARE_UPDATE_V1 ? "firmware/state" : "events";
    return CODEC.encode(
        new Envelope(
            schema,
            Transport.MQTT,
            new Telemetry(
                deviceId,
                GATEWAY,
                OptionalLong.of(seq),
                Optional.empty(),
                AT,
                Map.of(),
                Map.of(),
                Optional.of("{\"state\":\"ok\"}"),
                traceId(deviceId, seq),
                "devices/" + deviceId + "/" + kind,
                Telemetry.Format.EVENT_JSON)));
  }

  public static byte[] gatewayEvent(GatewayEvent.Kind kind) {
    return new GatewayEventCodec()
        .encode(new GatewayEvent(GATEWAY, kind, AT, Map.of("sink", "kafka")));
  }
}

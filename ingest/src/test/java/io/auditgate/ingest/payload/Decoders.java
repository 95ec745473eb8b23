package io.auditgate.ingest.payload;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.config.IngestConfig;
import io.auditgate.core.telemetry.Telemetry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** A decoder with the default limits and the context most decoder tests use. */
final class Decoders {
  static final Instant RECEIVED_AT = Instant.parse("2024-05-01T12:00:00Z");
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final PayloadDecoder DECODER = new PayloadDecoder(IngestConfig.defaults());

  private Decoders() {}

  static MessageContext context(String deviceId) {
    return new MessageContext(
        deviceId, "gw-1", RECEIVED_AT, TRACE_ID, "devices/" + deviceId + "/telemetry");
  }

  static Decoding telemetry(String body) {
    return DECODER.decodeTelemetry(body.getBytes(StandardCharsets.UTF_8), context("dev-1"));
  }

  static Telemetry valid(Decoding decoding) {
    assertThat(decoding).isInstanceOf(Decoding.Valid.class);
    return ((Decoding.Valid) decoding).telemetry();
  }

  static Decoding.Invalid invalid(Decoding decoding) {
    assertThat(decoding).isInstanceOf(Decoding.Invalid.class);
    return (Decoding.Invalid) decoding;
  }
}

package io.auditgate.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.auditgate.core.ingest.IngestRequest.Transport;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.envelope.Envelope;
import io.auditgate.envelope.EnvelopeCodec;
import io.auditgate.envelope.EnvelopeSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The hand-written encoder writes, byte for byte, what Jackson's generator wrote for the same
 * envelope: the format the log already holds and sinks forward verbatim must not drift.
 */
class EnvelopeEncodingProperties {
  private static final EnvelopeCodec CODEC = new EnvelopeCodec();
  private static final JsonFactory JACKSON = new JsonFactory();

  @Property(tries = 2000)
  void encodingIsWhatJacksonsGeneratorWrote(@ForAll("envelopes") Envelope envelope)
      throws IOException {
    assertThat(CODEC.encode(envelope)).isEqualTo(withJackson(envelope));
  }

  @Example
  void textOutsideTheBasicPlaneAndControlCharactersAreWrittenAlike() throws IOException {
    Envelope envelope =
        envelope(
            Map.of("a", -0.0, "b", Double.MIN_VALUE, "c", 1e21),
            Map.of("e", "\uD83D\uDE00 \uD800 \u0000\u001f\u007f\"\\/\b\f\n\r\t é €"),
            Instant.parse("0000-01-01T00:00:00.000000001Z"),
            Optional.of(Instant.parse("+10000-01-01T00:00:00.010Z")));

    assertThat(CODEC.encode(envelope)).isEqualTo(withJackson(envelope));
  }

  @Example
  void aBufferGrownForALargeEnvelopeWritesTheNextOneAlike() throws IOException {
    Envelope large =
        envelope(
            Map.of("a", 1.0),
            Map.of("e", "\"\u0001".repeat(200) + "é".repeat(300)),
            Instant.EPOCH,
            Optional.empty());
    Envelope huge =
        new Envelope(
            large.schema(),
            large.transport(),
            new Telemetry(
                "dev-1",
                "gw-1",
                OptionalLong.empty(),
                Optional.empty(),
                Instant.EPOCH,
                Map.of(),
                Map.of(),
                Optional.of("\"" + "x".repeat(100_000) + "\""),
                "4bf92f3577b34da6a3ce929d0e0e4736",
                "/v1/ingest/dev-1",
                Telemetry.Format.SEED_JSON));
    Envelope small = envelope(Map.of(), Map.of(), Instant.EPOCH, Optional.empty());

    for (Envelope envelope : List.of(large, huge, small, large)) {
      assertThat(CODEC.encode(envelope)).isEqualTo(withJackson(envelope));
    }
  }

  @Provide
  Arbitrary<Envelope> envelopes() {
    Arbitrary<String> key =
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
    Arbitrary<Double> number =
        Arbitraries.oneOf(
            Arbitraries.doubles(),
            Arbitraries.of(-0.0, 0.0, 1e-7, 1e7, 1e-3, Double.MAX_VALUE, Double.MIN_VALUE, 21.5));
    Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(40);
    Arbitrary<String> rawJson = text.filter(this::isUnicode);
    Arbitrary<Instant> instant =
        Arbitraries.oneOf(
            Arbitraries.longs()
                .between(-62_167_219_300L, 253_402_300_900L)
                .flatMap(
                    s ->
                        Arbitraries.of(1, 1_000, 1_000_000, 999_999_999, 123_000, 7)
                            .flatMap(
                                unit ->
                                    Arbitraries.integers()
                                        .between(0, 999_999_999 / unit)
                                        .map(k -> Instant.ofEpochSecond(s, (long) k * unit)))),
            Arbitraries.of(Instant.MIN, Instant.MAX, Instant.EPOCH));
    return Combinators.combine(
            Arbitraries.maps(key, number).ofMaxSize(32),
            Arbitraries.maps(key, text).ofMaxSize(16),
            instant,
            instant.optional(),
            rawJson.optional(),
            Arbitraries.longs().between(0, Long.MAX_VALUE).optional(),
            Arbitraries.of(Transport.values()),
            Arbitraries.of(EnvelopeSchema.values()))
        .as(
            (metrics, tags, received, deviceTime, payload, seq, transport, schema) ->
                new Envelope(
                    schema,
                    transport,
                    new Telemetry(
                        "dev-1",
                        "gw_1",
                        seq.map(OptionalLong::of).orElse(OptionalLong.empty()),
                        deviceTime,
                        received,
                        metrics,
                        tags,
                        payload,
                        "4bf92f3577b34da6a3ce929d0e0e4736",
                        "devices/dev-1/telemetry",
                        schema == EnvelopeSchema.TELEMETRY_V1
                            ? Telemetry.Format.SENML_JSON
                            : Telemetry.Format.EVENT_JSON)));
  }

  private boolean isUnicode(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static Envelope envelope(
      Map<String, Double> metrics,
      Map<String, String> tags,
      Instant receivedAt,
      Optional<Instant> deviceTime) {
    return new Envelope(
        EnvelopeSchema.TELEMETRY_V1,
        Transport.HTTP,
        new Telemetry(
            "dev-1",
            "gw-1",
            OptionalLong.of(0),
            deviceTime,
            receivedAt,
            metrics,
            tags,
            Optional.of("[\"ü\"]"),
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "/v1/ingest/dev-1",
            Telemetry.Format.SEED_JSON));
  }

  /** The encoder as it was, on Jackson's generator: the oracle. */
  private static byte[] withJackson(Envelope envelope) throws IOException {
    Telemetry t = envelope.telemetry();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JACKSON.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("schema", envelope.schema().wireName());
      g.writeStringField("source_topic", t.sourceTopic());
      g.writeStringField("device_id", t.deviceId());
      g.writeStringField("gateway_id", t.gatewayId());
      g.writeFieldName("seq");
      if (t.seq().isPresent()) {
        g.writeNumber(t.seq().getAsLong());
      } else {
        g.writeNull();
      }
      g.writeStringField("trace_id", t.traceId());
      g.writeStringField("received_at", t.receivedAt().toString());
      g.writeFieldName("device_time");
      if (t.deviceTime().isPresent()) {
        g.writeString(t.deviceTime().get().toString());
      } else {
        g.writeNull();
      }
      g.writeObjectFieldStart("metrics");
      for (Map.Entry<String, Double> metric : new TreeMap<>(t.metrics()).entrySet()) {
        g.writeNumberField(metric.getKey(), metric.getValue());
      }
      g.writeEndObject();
      g.writeObjectFieldStart("tags");
      for (Map.Entry<String, String> tag : new TreeMap<>(t.tags()).entrySet()) {
        g.writeStringField(tag.getKey(), tag.getValue());
      }
      g.writeEndObject();
      g.writeFieldName("payload");
      if (t.payload().isPresent()) {
        g.writeRawValue(t.payload().get());
      } else {
        g.writeNull();
      }
      g.writeStringField("transport", envelope.transport().name().toLowerCase(Locale.ROOT));
      g.writeStringField("format", t.format().name().toLowerCase(Locale.ROOT));
      g.writeEndObject();
    }
    return out.toByteArray();
  }
}

package io.auditgate.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.core.ingest.IngestRequest.Transport;
import io.auditgate.core.telemetry.Telemetry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {
  private final EnvelopeCodec codec = new EnvelopeCodec();

  static final Envelope ENVELOPE =
      new Envelope(
          EnvelopeSchema.TELEMETRY_V1,
          Transport.MQTT,
          new Telemetry(
              "dev-1",
              "gw-1",
              OptionalLong.of(42),
              Optional.of(Instant.parse("2024-05-01T11:59:59.5Z")),
              Instant.parse("2024-05-01T12:00:00.123Z"),
              Map.of("temp_c", 21.5, "humidity", 40.0, "tiny", 1.0E-7),
              Map.of("site", "lab", "fw", "1.2.0"),
              Optional.of("{\"note\":\"é\",\"n\":[1,2.50]}"),
              "4bf92f3577b34da6a3ce929d0e0e4736",
              "devices/dev-1/telemetry",
              Telemetry.Format.SEED_JSON));

  /** The envelope's bytes, one field per line; the lines are concatenated with nothing between. */
  static final String FIXTURE =
      String.join(
          "",
          "{\"schema\":\"telemetry.v1\",", //                     what the record is
          "\"source_topic\":\"devices/dev-1/telemetry\",", //     where it was published
          "\"device_id\":\"dev-1\",",
          "\"gateway_id\":\"gw-1\",",
          "\"seq\":42,", //                                        a JSON integer
          "\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",",
          "\"received_at\":\"2024-05-01T12:00:00.123Z\",", //     RFC 3339, UTC
          "\"device_time\":\"2024-05-01T11:59:59.500Z\",", //     fractions in groups of three
          "\"metrics\":{\"humidity\":40.0,\"temp_c\":21.5,\"tiny\":1.0E-7},", // sorted keys
          "\"tags\":{\"fw\":\"1.2.0\",\"site\":\"lab\"},", //     sorted keys
          "\"payload\":{\"note\":\"é\",\"n\":[1,2.50]},", //      raw JSON, not a string
          "\"transport\":\"mqtt\",",
          "\"format\":\"seed_json\"}");

  @Test
  void encodingWritesExactlyTheFixture() {
    byte[] bytes = codec.encode(ENVELOPE);

    assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(FIXTURE);
    assertThat(bytes).isEqualTo(FIXTURE.getBytes(StandardCharsets.UTF_8));
    int e = FIXTURE.indexOf('é');
    assertThat(bytes.length).as("UTF-8: é takes two bytes").isEqualTo(FIXTURE.length() + 1);
    assertThat(Arrays.copyOfRange(bytes, e, e + 2)).containsExactly(0xC3, 0xA9);
  }

  @Test
  void decodingTheFixtureGivesTheEnvelopeBack() {
    assertThat(codec.decode(FIXTURE.getBytes(StandardCharsets.UTF_8))).isEqualTo(ENVELOPE);
  }

  @Test
  void absentValuesAreNullAndRoundTrip() {
    Envelope event =
        new Envelope(
            EnvelopeSchema.FIRMWARE_UPDATE_V1,
            Transport.BRIDGE,
            new Telemetry(
                "dev-2",
                "gw-1",
                OptionalLong.empty(),
                Optional.empty(),
                Instant.parse("2024-05-01T12:00:00Z"),
                Map.of(),
                Map.of(),
                Optional.empty(),
                "00f067aa0ba902b700f067aa0ba902b7",
                "devices/dev-2/firmware/state",
                Telemetry.Format.EVENT_JSON));

    byte[] bytes = codec.encode(event);

    assertThat(new String(bytes, StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"schema\":\"firmware_update.v1\",\"source_topic\":\"devices/dev-2/firmware/state\","
                + "\"device_id\":\"dev-2\",\"gateway_id\":\"gw-1\",\"seq\":null,"
                + "\"trace_id\":\"00f067aa0ba902b700f067aa0ba902b7\","
                + "\"received_at\":\"2024-05-01T12:00:00Z\",\"device_time\":null,"
                + "\"metrics\":{},\"tags\":{},\"payload\":null,\"transport\":\"bridge\","
                + "\"format\":\"event_json\"}");
    assertThat(codec.decode(bytes)).isEqualTo(event);
  }

  @Test
  void aSchemaAndAFormatMustAgree() {
    assertThatThrownBy(
            () ->
                new Envelope(EnvelopeSchema.DEVICE_EVENT_V1, Transport.MQTT, ENVELOPE.telemetry()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("schema device_event.v1 cannot hold format SEED_JSON");
    assertUnreadable(
        FIXTURE.replace("\"seed_json\"", "\"event_json\""), "cannot hold format EVENT_JSON");
  }

  @Test
  void fieldsAReaderDoesNotKnowAreIgnored() {
    String later = FIXTURE.replace("{\"schema\"", "{\"added_later\":[1],\"schema\"");

    assertThat(codec.decode(later.getBytes(StandardCharsets.UTF_8))).isEqualTo(ENVELOPE);
  }

  @Test
  void bytesThatAreNoEnvelopeAreReportedAsSuch() {
    assertUnreadable("not json", "envelope is not JSON");
    assertUnreadable("[1]", "envelope is not a JSON object");
    assertUnreadable(FIXTURE.replace("telemetry.v1", "telemetry.v9"), "unknown envelope schema");
    assertUnreadable(FIXTURE.replace("\"seq\":42,", ""), "envelope has no seq");
    assertUnreadable(FIXTURE.replace("\"seq\":42", "\"seq\":-1"), "seq must be a non-negative");
    assertUnreadable(FIXTURE.replace("12:00:00.123Z", "noon"), "received_at is not an RFC 3339");
    assertUnreadable(FIXTURE.replace("\"mqtt\"", "\"pigeon\""), "unknown transport pigeon");
    assertUnreadable(FIXTURE.replace("\"dev-1\"", "\"dev 1\""), "invalid message: deviceId");
    assertUnreadable(FIXTURE.replace("21.5", "\"21.5\""), "metric temp_c is not a number");
  }

  private void assertUnreadable(String bytes, String message) {
    assertThatThrownBy(() -> codec.decode(bytes.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(UnreadableEnvelopeException.class)
        .hasMessageContaining(message);
  }
}

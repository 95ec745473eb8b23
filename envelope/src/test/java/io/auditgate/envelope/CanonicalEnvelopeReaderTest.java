package io.auditgate.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.ingest.IngestRequest.Transport;
import io.auditgate.core.telemetry.Telemetry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The canonical reader is a shortcut, never a second meaning: for every input, {@link
 * EnvelopeCodec#decode} (shortcut first) and {@link EnvelopeCodec#decodeGeneral} give the same
 * envelope or the same refusal. Checked on generated envelopes and on damaged copies of them.
 */
class CanonicalEnvelopeReaderTest {
  private final EnvelopeCodec codec = new EnvelopeCodec();
  private final Random random = new Random(20261128);

  @Test
  void readsWhatTheEncoderWritesAndAgreesWithTheGeneralWay() {
    int taken = 0;
    for (int i = 0; i < 5_000; i++) {
      Envelope envelope = randomEnvelope(false);
      byte[] bytes = codec.encode(envelope);

      Envelope canonical = CanonicalEnvelopeReader.read(bytes);

      assertThat(codec.decodeGeneral(bytes)).isEqualTo(envelope);
      assertThat(codec.decode(bytes)).isEqualTo(envelope);
      if (canonical != null) {
        assertThat(canonical).isEqualTo(envelope);
        taken++;
      }
    }
    // Plain ASCII envelopes without payload and negative zero are most of them: the shortcut
    // must take those, or it is no shortcut.
    assertThat(taken).isGreaterThan(4_000);
  }

  @Test
  void leavesPayloadsEscapesAndOtherOrdersToTheGeneralWay() {
    String plain =
        new String(
            codec.encode(plain(Map.of("temp_c", 21.5), Map.of("site", "lab"))),
            StandardCharsets.UTF_8);

    assertThat(read(plain)).isNotNull();
    assertThat(CanonicalEnvelopeReader.read(codec.encode(EnvelopeCodecTest.ENVELOPE))).isNull();
    assertThat(read(plain.replace("\"site\"", "\"s\\u0069te\""))).isNull();
    assertThat(read(plain.replace("{\"schema\"", "{\"added\":1,\"schema\""))).isNull();
    assertThat(read(plain.replace(",\"tags\":", " ,\"tags\":"))).isNull();
    assertThat(read(plain + " ")).isNull();
  }

  @Test
  void leavesTimesItDoesNotWriteToTheGeneralWay() {
    String plain =
        new String(codec.encode(plain(Map.of("temp_c", 21.5), Map.of())), StandardCharsets.UTF_8);
    String receivedAt = plain.replaceAll(".*\"received_at\":\"([^\"]+)\".*", "$1");

    for (String odd :
        new String[] {
          "2023-02-29T10:00:00Z", // not a day
          "2024-12-31T23:59:60Z", // a leap second
          "2024-05-01T24:00:00Z",
          "2024-05-01T12:00:00.Z",
          "2024-05-01T12:00:00.1234567891Z",
          "2024-05-01T12:00:00+01:00",
          "2024-05-01 12:00:00Z"
        }) {
      byte[] bytes = plain.replace(receivedAt, odd).getBytes(StandardCharsets.UTF_8);
      assertThat(CanonicalEnvelopeReader.read(bytes)).as(odd).isNull();
      assertSameOutcome(bytes);
    }
  }

  @Test
  void negativeZeroIsReadAsTheGeneralWayReadsIt() {
    byte[] bytes = codec.encode(plain(Map.of("accel_x", -0.0), Map.of()));

    assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"accel_x\":-0.0");
    assertSameOutcome(bytes);
    assertThat(Double.doubleToRawLongBits(codec.decode(bytes).telemetry().metrics().get("accel_x")))
        .isEqualTo(Double.doubleToRawLongBits(0.0));
  }

  @Test
  void damagedEnvelopesGetTheSameAnswerEitherWay() {
    for (int i = 0; i < 10_000; i++) {
      byte[] bytes = codec.encode(randomEnvelope(random.nextInt(10) == 0));
      assertSameOutcome(damage(bytes));
    }
  }

  private Envelope read(String text) {
    return CanonicalEnvelopeReader.read(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The fixture of EnvelopeCodecTest without its payload, with these metrics and tags. */
  private static Envelope plain(Map<String, Double> metrics, Map<String, String> tags) {
    Telemetry t = EnvelopeCodecTest.ENVELOPE.telemetry();
    return new Envelope(
        EnvelopeSchema.TELEMETRY_V1,
        Transport.MQTT,
        new Telemetry(
            t.deviceId(),
            t.gatewayId(),
            t.seq(),
            t.deviceTime(),
            t.receivedAt(),
            metrics,
            tags,
            Optional.empty(),
            t.traceId(),
            t.sourceTopic(),
            t.format()));
  }

  private void assertSameOutcome(byte[] bytes) {
    Object general = outcome(() -> codec.decodeGeneral(bytes));
    Object either = outcome(() -> codec.decode(bytes));
    assertThat(either).as(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(general);
  }

  /** The envelope, or the refusal's class and message. */
  private static Object outcome(java.util.function.Supplier<Envelope> decode) {
    try {
      return decode.get();
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  /** One byte changed, dropped, or put in, where a human typing JSON would slip. */
  private byte[] damage(byte[] bytes) {
    int at = random.nextInt(bytes.length);
    byte[] alphabet = "\"{}[],:.-+0123456789eEnulZT \\\u00e9az".getBytes(StandardCharsets.UTF_8);
    byte b = alphabet[random.nextInt(alphabet.length)];
    return switch (random.nextInt(3)) {
      case 0 -> {
        byte[] copy = bytes.clone();
        copy[at] = b;
        yield copy;
      }
      case 1 -> {
        byte[] copy = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, copy, 0, at);
        System.arraycopy(bytes, at + 1, copy, at, bytes.length - at - 1);
        yield copy;
      }
      default -> {
        byte[] copy = Arrays.copyOf(bytes, bytes.length + 1);
        System.arraycopy(bytes, at, copy, at + 1, bytes.length - at);
        copy[at] = b;
        yield copy;
      }
    };
  }

  private Envelope randomEnvelope(boolean withPayload) {
    String device = "b-l475e-" + random.nextInt(1000);
    Map<String, Double> metrics = new HashMap<>();
    int n = random.nextInt(8);
    for (int i = 0; i < n; i++) {
      metrics.put("m_" + random.nextInt(50), randomValue());
    }
    Map<String, String> tags = new HashMap<>();
    if (random.nextBoolean()) {
      tags.put("site", random.nextInt(20) == 0 ? "lab \"é\"" : "lab-" + random.nextInt(9));
    }
    Instant received = Instant.ofEpochSecond(1_700_000_000L + random.nextInt(100_000_000));
    received = received.plusNanos(randomNanos());
    Optional<Instant> deviceTime =
        random.nextBoolean()
            ? Optional.of(received.minusMillis(random.nextInt(10_000)).plusNanos(randomNanos()))
            : Optional.empty();
    Transport transport = Transport.values()[random.nextInt(Transport.values().length)];
    return new Envelope(
        EnvelopeSchema.TELEMETRY_V1,
        transport,
        new Telemetry(
            device,
            "gw-" + random.nextInt(3),
            random.nextInt(5) == 0
                ? OptionalLong.empty()
                : OptionalLong.of(random.nextLong() >>> 1),
            deviceTime,
            received,
            metrics,
            tags,
            withPayload ? Optional.of("{\"t\":" + random.nextInt() + "}") : Optional.empty(),
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "devices/" + device + "/telemetry",
            random.nextBoolean() ? Telemetry.Format.SEED_JSON : Telemetry.Format.SENML_JSON));
  }

  private long randomNanos() {
    return switch (random.nextInt(4)) {
      case 0 -> 0;
      case 1 -> random.nextInt(1000) * 1_000_000L;
      case 2 -> random.nextInt(1_000_000) * 1_000L;
      default -> random.nextInt(1_000_000_000);
    };
  }

  private double randomValue() {
    return switch (random.nextInt(6)) {
      case 0 -> random.nextInt(200) - 100;
      case 1 -> Math.round(random.nextGaussian() * 10_000) / 100.0;
      case 2 -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
      case 3 -> 0.0;
      case 4 -> Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL);
      default -> random.nextDouble();
    };
  }
}

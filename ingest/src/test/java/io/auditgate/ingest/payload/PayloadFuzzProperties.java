package io.auditgate.ingest.payload;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.config.IngestConfig;
import io.auditgate.core.ingest.IngestRequest.Transport;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.envelope.Envelope;
import io.auditgate.envelope.EnvelopeCodec;
import io.auditgate.envelope.EnvelopeSchema;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Whatever bytes a device sends, decoding answers (a {@link Telemetry} or a refusal), never throws,
 * and takes bounded time; and whatever it accepts, the envelope carries unchanged.
 */
class PayloadFuzzProperties {
  /** Far above the microseconds a 64KiB body takes; only a pathological path would reach it. */
  private static final Duration BOUND = Duration.ofSeconds(2);

  // A small depth limit, so mutated examples reach the depth check easily.
  private static final PayloadDecoder DECODER =
      new PayloadDecoder(new IngestConfig(null, 6, null, null, null, null));
  private static final EnvelopeCodec CODEC = new EnvelopeCodec();

  private static final List<String> EXAMPLES =
      List.of(
          "{\"ts\":\"2024-05-01T12:00:00.5+02:00\",\"seq\":42,\"metrics\":{\"temp_c\":21.5,"
              + "\"n\":-3e-7},\"tags\":{\"site\":\"lab\"},"
              + "\"payload\":{\"a\":[1,2.50,\"\\u00e9\"]}}",
          "{\"metrics\":{}}",
          "[{\"bn\":\"urn:dev:ow:10e2073a01080063:\",\"bt\":1.276020076001e+09,\"bu\":\"A\","
              + "\"bver\":5,\"n\":\"voltage\",\"u\":\"V\",\"v\":120.1},{\"n\":\"current\",\"t\":-5,"
              + "\"v\":1.2},{\"n\":\"current\",\"v\":1.7}]",
          "[{\"bn\":\"dev-1/\",\"bv\":1,\"bs\":2,\"n\":\"e\",\"v\":5,\"s\":2},"
              + "{\"n\":\"label\",\"vs\":\"Machine Room\"},{\"n\":\"open\",\"vb\":false},"
              + "{\"n\":\"d\",\"vd\":\"aGk\"}]",
          "{\"state\":\"installed\",\"firmware_version\":\"1.2.0\",\"job_id\":7}");

  private static final List<String> TOKENS =
      List.of(
          "{",
          "}",
          "[",
          "]",
          "\"",
          ",",
          ":",
          "NaN",
          "-Infinity",
          "1e999",
          "1e9999999999",
          "-0",
          "0.0000000000000000000001",
          "null",
          "true",
          "\\u0000",
          "\\ud800",
          "\u00e9",
          "\uD83D\uDE00",
          "\"bn\":",
          "\"v\":",
          "\"t\":-1e300",
          "\"metrics\":",
          "\"seq\":18446744073709551616");

  @Property(tries = 400)
  void arbitraryBytesAreAnsweredNotThrown(@ForAll @Size(max = 512) byte[] body) {
    checkEveryWay(body);
  }

  @Property(tries = 1500)
  void mutatedValidBodiesAreAnsweredNotThrown(@ForAll("mutatedExamples") byte[] body) {
    checkEveryWay(body);
  }

  @Example
  void theExamplesThemselvesAreValid() {
    for (String example : EXAMPLES) {
      byte[] body = example.getBytes(StandardCharsets.UTF_8);
      Decoding decoding =
          example.contains("state")
              ? DECODER.decodeEvent(body, Decoders.context("dev-1"))
              : DECODER.decodeTelemetry(body, Decoders.context("dev-1"));
      assertThat(decoding).as(example).isInstanceOf(Decoding.Valid.class);
    }
  }

  private static void checkEveryWay(byte[] body) {
    check(body, false);
    check(body, true);
  }

  private static void check(byte[] body, boolean asEvent) {
    long started = System.nanoTime();
    Decoding decoding =
        asEvent
            ? DECODER.decodeEvent(body, Decoders.context("dev-1"))
            : DECODER.decodeTelemetry(body, Decoders.context("dev-1"));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(took).isLessThan(BOUND);
    assertThat(decoding).isNotNull();
    if (decoding instanceof Decoding.Invalid invalid) {
      assertThat(invalid.message()).isNotBlank();
      return;
    }
    Telemetry telemetry = ((Decoding.Valid) decoding).telemetry();
    assertThat(telemetry.metrics().size()).isLessThanOrEqualTo(Telemetry.MAX_METRICS);
    assertThat(telemetry.metrics().values()).allMatch(Double::isFinite);
    assertThat(telemetry.metrics().keySet()).allMatch(k -> Telemetry.KEY.matcher(k).matches());
    assertThat(telemetry.tags().keySet()).allMatch(k -> Telemetry.KEY.matcher(k).matches());
    EnvelopeSchema schema = asEvent ? EnvelopeSchema.DEVICE_EVENT_V1 : EnvelopeSchema.TELEMETRY_V1;
    Envelope envelope = new Envelope(schema, Transport.MQTT, telemetry);
    assertThat(CODEC.decode(CODEC.encode(envelope))).isEqualTo(envelope);
  }

  @Provide
  Arbitrary<byte[]> mutatedExamples() {
    Arbitrary<Mutation> mutation =
        Combinators.combine(
                Arbitraries.of(Mutation.Kind.class),
                Arbitraries.integers().between(0, 1 << 16),
                Arbitraries.integers().between(1, 64),
                Arbitraries.bytes(),
                Arbitraries.of(TOKENS))
            .as(Mutation::new);
    return Combinators.combine(Arbitraries.of(EXAMPLES), mutation.list().ofMinSize(1).ofMaxSize(4))
        .as(
            (example, mutations) -> {
              byte[] body = example.getBytes(StandardCharsets.UTF_8);
              for (Mutation m : mutations) {
                body = m.apply(body);
              }
              return body;
            });
  }

  /**
   * One edit of a body: at a position (modulo its length), of some length, with some content. The
   * digit and letter swaps mostly keep the JSON well-formed, so accepted bodies are fuzzed too.
   */
  record Mutation(Kind kind, int position, int length, byte value, String token) {
    enum Kind {
      SWAP_DIGIT,
      SWAP_LETTER,
      REPLACE_BYTE,
      INSERT_BYTE,
      DELETE_RANGE,
      INSERT_TOKEN,
      TRUNCATE,
      REPEAT_RANGE
    }

    byte[] apply(byte[] body) {
      int at = body.length == 0 ? 0 : position % (body.length + 1);
      int end = Math.min(body.length, at + length);
      return switch (kind) {
        case SWAP_DIGIT -> swap(body, b -> b >= '0' && b <= '9', (byte) ('0' + (value & 127) % 10));
        case SWAP_LETTER -> swap(body, Character::isLowerCase, (byte) ('a' + (value & 127) % 26));
        case REPLACE_BYTE -> {
          byte[] copy = body.clone();
          if (at < copy.length) {
            copy[at] = value;
          }
          yield copy;
        }
        case INSERT_BYTE -> splice(body, at, at, new byte[] {value});
        case DELETE_RANGE -> splice(body, at, end, new byte[0]);
        case INSERT_TOKEN -> splice(body, at, at, token.getBytes(StandardCharsets.UTF_8));
        case TRUNCATE -> Arrays.copyOf(body, at);
        case REPEAT_RANGE -> splice(body, at, at, Arrays.copyOfRange(body, at, end));
      };
    }

    /** Replaces the n-th byte (n = position, wrapping) that {@code which} accepts. */
    private byte[] swap(byte[] body, java.util.function.IntPredicate which, byte replacement) {
      int[] candidates = IntStream.range(0, body.length).filter(i -> which.test(body[i])).toArray();
      byte[] copy = body.clone();
      if (candidates.length > 0) {
        copy[candidates[position % candidates.length]] = replacement;
      }
      return copy;
    }

    private static byte[] splice(byte[] body, int from, int to, byte[] insert) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + insert.length);
      out.write(body, 0, from);
      out.write(insert, 0, insert.length);
      out.write(body, to, body.length - to);
      return out.toByteArray();
    }
  }
}

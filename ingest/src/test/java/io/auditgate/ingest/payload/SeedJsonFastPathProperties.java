package io.auditgate.ingest.payload;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.config.IngestConfig;
import io.auditgate.core.telemetry.Telemetry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The streaming fast path never decides differently from the tree path: whatever it accepts, the
 * tree path accepts as the very same {@link Telemetry} (down to the sign of a zero).
 */
class SeedJsonFastPathProperties {
  private static final IngestConfig CONFIG = new IngestConfig(null, 6, null, null, null, null);
  private static final PayloadDecoder DECODER = new PayloadDecoder(CONFIG);
  private static final SeedJsonFastPath FAST =
      new SeedJsonFastPath(Math.toIntExact(CONFIG.maxBodySize().bytes()), CONFIG.maxJsonDepth());

  private static final List<String> NUMBERS =
      List.of(
          "0",
          "-0",
          "-0.0",
          "0.0",
          "21.5",
          "48.25",
          "1013.2",
          "1e5",
          "1E+5",
          "-3e-7",
          "1.0e-320",
          "4.9e-324",
          "2e-400",
          "1e308",
          "1.7976931348623159e308",
          "1e999",
          "9007199254740993",
          "9223372036854775807",
          "9223372036854775808",
          "-9223372036854775809",
          "123456789012345678901234567890",
          "0.1000000000000000055511151231257827",
          "01",
          "1.",
          ".5",
          "+1",
          "NaN",
          "-Infinity",
          "true",
          "\"1\"",
          "null",
          "[1]",
          "{}");

  private static final List<String> SEQS =
      List.of(
          "0",
          "-0",
          "42",
          "-1",
          "9223372036854775807",
          "9223372036854775808",
          "1.0",
          "1e2",
          "null",
          "\"7\"");

  private static final List<String> TIMES =
      List.of(
          "\"2024-05-01T12:00:00Z\"",
          "\"2024-05-01T12:00:00.123456789+02:00\"",
          "\"2024-05-01t12:00:00z\"",
          "\"2024-13-01T12:00:00Z\"",
          "\"10000-01-01T00:00:00Z\"",
          "null",
          "5");

  private static final List<String> TEXTS =
      List.of("\"lab\"", "\"\"", "\"x\"", "\"a b/c\"", "\"\\u00e9\"", "\"\\ud800\"", "\"é\"", "7");

  @Property(tries = 3000, edgeCases = EdgeCasesMode.NONE)
  void whatTheFastPathAcceptsTheTreeAcceptsAlike(@ForAll("bodies") String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Optional<Telemetry> fast = FAST.read(bytes, Decoders.context("dev-1"));
    Decoding tree =
        DECODER.decodeTelemetryTree(
            bytes, Decoders.context("dev-1"), PayloadDecoder.firstSignificantByte(bytes));

    Statistics.label("fast path").collect(fast.isPresent());
    if (fast.isPresent()) {
      assertThat(tree).isEqualTo(new Decoding.Valid(fast.get()));
    }
    assertThat(DECODER.decodeTelemetry(bytes, Decoders.context("dev-1"))).isEqualTo(tree);
    // A property that held only because the fast path never accepted would prove nothing.
    Statistics.label("fast path")
        .coverage(
            coverage -> {
              coverage.check(true).percentage(p -> p > 5);
              coverage.check(false).percentage(p -> p > 10);
            });
  }

  @Example
  void theBenchmarksBodyTakesTheFastPath() {
    String body =
        "{\"seq\":17,\"metrics\":{\"temperature_c\":21.5,\"humidity_pct\":48.25,"
            + "\"pressure_hpa\":1013.2},\"tags\":{\"pad\":\"xxxxxxxx\"}}";

    Optional<Telemetry> fast =
        FAST.read(body.getBytes(StandardCharsets.US_ASCII), Decoders.context("dev-1"));

    assertThat(fast).isPresent();
    assertThat(fast.get().seq()).hasValue(17);
    assertThat(fast.get().metrics()).containsEntry("pressure_hpa", 1013.2).hasSize(3);
    assertThat(fast.get().tags()).containsEntry("pad", "xxxxxxxx");
  }

  @Example
  void negativeZeroIsReadAsTheTreeReadsIt() {
    Optional<Telemetry> fast =
        FAST.read(
            "{\"metrics\":{\"a\":-0.0,\"b\":-0}}".getBytes(StandardCharsets.US_ASCII),
            Decoders.context("dev-1"));

    assertThat(fast).isPresent();
    assertThat(fast.get().metrics().get("a")).isEqualTo(0.0);
    assertThat(fast.get().metrics().get("b")).isEqualTo(0.0);
  }

  @Example
  void bodiesItCannotVouchForAreLeftToTheTree() {
    for (String body :
        List.of(
            "{\"metrics\":{},\"payload\":{\"a\":1}}",
            "{\"metrics\":{},\"tags\":{\"k\":\"\\u00e9\"}}",
            "{\"metrics\":{},\"tags\":{\"k\":\"é\"}}",
            "{\"metrics\":{\"a\":1},\"metrics\":{}}",
            "{\"metrics\":{\"a\":1,\"a\":2}}",
            "{\"metrics\":{},\"tags\":{\"k\":\"x\",\"k\":\"x\"}}",
            "{\"metrics\":{},\"seq\":null,\"seq\":1}",
            "{\"metrics\":{}} {}",
            "{\"metric\":{}}",
            "{\"metrics\":{\"a\":NaN}}",
            "{\"seq\":9223372036854775808,\"metrics\":{}}",
            "{\"ts\":null}")) {
      assertThat(FAST.read(body.getBytes(StandardCharsets.UTF_8), Decoders.context("dev-1")))
          .as(body)
          .isEmpty();
    }
  }

  @Provide
  Arbitrary<String> bodies() {
    Arbitrary<String> key =
        Arbitraries.frequencyOf(
            Tuple.of(
                8, Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(3)),
            Tuple.of(1, Arbitraries.of("A", "1x", "a-b", "_", "x".repeat(33))));
    Arbitrary<String> number =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.of(NUMBERS)),
            Tuple.of(3, Arbitraries.doubles().map(String::valueOf)),
            Tuple.of(1, Arbitraries.longs().map(String::valueOf)));
    Arbitrary<String> metric = Combinators.combine(key, number).as((k, v) -> "\"" + k + "\":" + v);
    Arbitrary<String> tag =
        Combinators.combine(key, Arbitraries.of(TEXTS)).as((k, v) -> "\"" + k + "\":" + v);
    Arbitrary<String> metrics =
        metric.list().ofMaxSize(4).map(l -> "{" + String.join(",", l) + "}");
    Arbitrary<String> tags = tag.list().ofMaxSize(3).map(l -> "{" + String.join(",", l) + "}");
    Arbitrary<String> field =
        Arbitraries.oneOf(
            metrics.map(m -> "\"metrics\":" + m),
            tags.map(t -> "\"tags\":" + t),
            Arbitraries.of(SEQS).map(s -> "\"seq\":" + s),
            Arbitraries.of(TIMES).map(t -> "\"ts\":" + t),
            Arbitraries.of("\"payload\":null", "\"payload\":[1]", "\"metrics\":null", "\"x\":1"));
    Arbitrary<String> object =
        Combinators.combine(metrics, field.list().ofMaxSize(4), Arbitraries.of("", " ", "\n", "x"))
            .as(
                (m, fields, tail) ->
                    "{\"metrics\":"
                        + m
                        + fields.stream().map(f -> "," + f).reduce("", String::concat)
                        + "}"
                        + tail);
    return Arbitraries.oneOf(object, object.map(o -> " \t" + o.replace(":", " : ")));
  }
}

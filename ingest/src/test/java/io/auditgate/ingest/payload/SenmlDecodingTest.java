package io.auditgate.ingest.payload;

import static io.auditgate.ingest.payload.Decoders.DECODER;
import static io.auditgate.ingest.payload.Decoders.RECEIVED_AT;
import static io.auditgate.ingest.payload.Decoders.context;
import static io.auditgate.ingest.payload.Decoders.invalid;
import static io.auditgate.ingest.payload.Decoders.valid;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.ingest.IngestResult.Reason;
import io.auditgate.core.telemetry.Telemetry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SenML packs, starting with the examples of RFC 8428 §5. */
class SenmlDecodingTest {
  /** The device RFC 8428's examples come from, as a device id of ours. */
  private static final String RFC_DEVICE = "10e2073a01080063";

  /** 1.276020076001e+09 seconds, the base time of the RFC's examples. */
  private static final Instant RFC_BASE_TIME = Instant.ofEpochSecond(1_276_020_076, 1_000_000);

  private static Decoding senml(String pack) {
    return DECODER.decodeTelemetry(pack.getBytes(StandardCharsets.UTF_8), context(RFC_DEVICE));
  }

  @Test
  void singleDatapoint() {
    String pack = "[{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"Cel\",\"v\":23.1}]";

    Telemetry t = valid(senml(pack));

    assertThat(t.metrics())
        .as("the name is the device; the unit tells what")
        .isEqualTo(Map.of("value_cel", 23.1));
    assertThat(t.deviceTime()).as("no bt or t: the device sent no time").isEmpty();
    assertThat(t.seq()).isEmpty();
    assertThat(t.format()).isEqualTo(Telemetry.Format.SENML_JSON);
    assertThat(t.payload()).contains(pack);
  }

  @Test
  void multipleDatapoints() {
    Telemetry t =
        valid(
            senml(
                """
                [{"bn":"urn:dev:ow:10e2073a01080063:","n":"voltage","u":"V","v":120.1},
                 {"n":"current","u":"A","v":1.2}]
                """));

    assertThat(t.metrics()).isEqualTo(Map.of("voltage", 120.1, "current", 1.2));
    assertThat(t.tags()).isEmpty();
  }

  static final String MULTIPLE_MEASUREMENTS =
      """
      [{"bn":"urn:dev:ow:10e2073a01080063:","bt":1.276020076001e+09,
        "bu":"A","bver":5,"n":"voltage","u":"V","v":120.1},
       {"n":"current","t":-5,"v":1.2},
       {"n":"current","t":-4,"v":1.3},
       {"n":"current","t":-3,"v":1.4},
       {"n":"current","t":-2,"v":1.5},
       {"n":"current","t":-1,"v":1.6},
       {"n":"current","v":1.7}]
      """;

  static final String RESOLVED_MEASUREMENTS =
      """
      [{"n":"urn:dev:ow:10e2073a01080063:voltage","u":"V","v":120.1,"t":1.276020076001e+09},
       {"n":"urn:dev:ow:10e2073a01080063:current","u":"A","v":1.2,"t":1.276020071001e+09},
       {"n":"urn:dev:ow:10e2073a01080063:current","u":"A","v":1.3,"t":1.276020072001e+09},
       {"n":"urn:dev:ow:10e2073a01080063:current","u":"A","v":1.4,"t":1.276020073001e+09},
       {"n":"urn:dev:ow:10e2073a01080063:current","u":"A","v":1.5,"t":1.276020074001e+09},
       {"n":"urn:dev:ow:10e2073a01080063:current","u":"A","v":1.6,"t":1.276020075001e+09},
       {"n":"urn:dev:ow:10e2073a01080063:current","u":"A","v":1.7,"t":1.276020076001e+09}]
      """;

  @Test
  void multipleMeasurementsWithBaseValuesKeepTheNewestOfEachNameAndTheWholePack() {
    Telemetry t = valid(senml(MULTIPLE_MEASUREMENTS));

    assertThat(t.metrics()).isEqualTo(Map.of("voltage", 120.1, "current", 1.7));
    assertThat(t.deviceTime()).contains(RFC_BASE_TIME);
    assertThat(t.payload().orElseThrow())
        .as("every sample stays in the record")
        .contains("{\"n\":\"current\",\"t\":-5,\"v\":1.2}")
        .contains("\"bt\":1276020076.001");
  }

  @Test
  void resolvedRecordsMeanTheSameAsTheirCompactForm() {
    Telemetry resolved = valid(senml(RESOLVED_MEASUREMENTS));
    Telemetry compact = valid(senml(MULTIPLE_MEASUREMENTS));

    assertThat(resolved.metrics()).isEqualTo(compact.metrics());
    assertThat(resolved.deviceTime()).isEqualTo(compact.deviceTime()).contains(RFC_BASE_TIME);
  }

  @Test
  void multipleDataTypes() {
    Telemetry t =
        valid(
            senml(
                """
                [{"bn":"urn:dev:ow:10e2073a01080063:","n":"temperature","u":"Cel","v":23.4},
                 {"n":"label","vs":"Machine Room"},
                 {"n":"open","vb":false},
                 {"n":"nfc-reader","vd":"aGkgCg"}]
                """));

    assertThat(t.metrics()).isEqualTo(Map.of("temperature", 23.4));
    assertThat(t.tags()).isEqualTo(Map.of("label", "Machine Room", "open", "false"));
    assertThat(t.payload().orElseThrow()).as("data values live in the payload").contains("aGkgCg");
  }

  @Test
  void quantitiesToldApartByUnitOnlyGetUnitKeys() {
    Telemetry t =
        valid(
            senml(
                """
                [{"bn":"urn:dev:ow:10e2073a01080063:","bt":1.320067464e+09,"bu":"%RH","v":20},
                 {"u":"lon","v":24.30621},
                 {"u":"lat","v":60.07965},
                 {"t":60,"v":20.3},
                 {"u":"lon","t":60,"v":24.30622},
                 {"u":"lat","t":60,"v":60.07965},
                 {"u":"%EL","t":150,"v":98}]
                """));

    assertThat(t.metrics())
        .isEqualTo(
            Map.of(
                "value__rh",
                20.3,
                "value_lon",
                24.30622,
                "value_lat",
                60.07965,
                "value__el",
                98.0));
    assertThat(t.deviceTime()).contains(Instant.ofEpochSecond(1_320_067_464L + 150));
  }

  @Test
  void baseValueAndBaseSumAreAddedAndTheSumIsItsOwnMetric() {
    Telemetry t =
        valid(
            senml(
                "[{\"bn\":\"dev-1/\",\"bv\":100,\"bs\":10,\"n\":\"energy\",\"u\":\"J\","
                    + "\"v\":5,\"s\":2},{\"n\":\"power\",\"v\":1.5}]"));

    assertThat(t.metrics()).isEqualTo(Map.of("energy", 105.0, "energy_sum", 12.0, "power", 101.5));
  }

  @Test
  void baseFieldsCanChangeMidPack() {
    Telemetry t =
        valid(
            senml(
                """
                [{"bn":"urn:dev:ow:10e2073a01080063:","n":"inside","v":1},
                 {"bn":"urn:dev:ow:10e2073a01080063:door:","n":"state","vs":"open"}]
                """));

    assertThat(t.metrics()).isEqualTo(Map.of("inside", 1.0));
    assertThat(t.tags()).isEqualTo(Map.of("state", "open"));
  }

  @Test
  void relativeTimesCountFromReceiptAndTheNewestRecordWinsWhateverItsPlace() {
    Telemetry t = valid(senml("[{\"n\":\"x\",\"v\":1,\"t\":-10},{\"n\":\"x\",\"v\":2,\"t\":-30}]"));

    assertThat(t.metrics()).isEqualTo(Map.of("x", 1.0));
    assertThat(t.deviceTime()).contains(RECEIVED_AT.minusSeconds(10));
  }

  @Test
  void aRecordWithoutTimeIsNowOnTheGatewaysClockSoItDoesNotSetTheDeviceTime() {
    Telemetry t = valid(senml("[{\"n\":\"a\",\"v\":1},{\"bt\":1.3e9,\"n\":\"b\",\"v\":2}]"));

    assertThat(t.deviceTime()).contains(Instant.ofEpochSecond(1_300_000_000L));
    assertThat(t.metrics()).isEqualTo(Map.of("a", 1.0, "b", 2.0));
  }

  @Test
  void absoluteTimesKeepMicroseconds() {
    Telemetry t = valid(senml("[{\"n\":\"x\",\"v\":1,\"t\":1714564800.123456}]"));

    assertThat(t.deviceTime()).contains(Instant.parse("2024-05-01T12:00:00.123456Z"));
  }

  @Test
  void unknownFieldsAreIgnoredButKept() {
    Telemetry t = valid(senml("[{\"n\":\"x\",\"v\":1,\"location\":{\"room\":7}}]"));

    assertThat(t.metrics()).isEqualTo(Map.of("x", 1.0));
    assertThat(t.payload().orElseThrow()).contains("\"location\":{\"room\":7}");
  }

  @Test
  void theNameRuleNormalisesCaseAndPunctuation() {
    assertThat(SenmlKeys.keyOf("dev-1/Temp.Inside", "dev-1/", Optional.empty(), "dev-1"))
        .contains("temp_inside");
    assertThat(SenmlKeys.keyOf("urn:dev:mac:0024befffe804ff1:rssi", "", Optional.empty(), "x"))
        .contains("rssi");
    assertThat(SenmlKeys.keyOf("urn:dev:id:dev-1", "", Optional.empty(), "DEV-1"))
        .contains("value");
    assertThat(SenmlKeys.keyOf("urn:dev:id:other", "", Optional.of("Cel"), "dev-1"))
        .as("another device's id is a name, not the device")
        .contains("other");
    assertThat(SenmlKeys.keyOf("5700", "", Optional.empty(), "dev-1")).isEmpty();
    assertThat(SenmlKeys.keyOf("b:" + "a".repeat(33), "b:", Optional.empty(), "d")).isEmpty();
  }

  static Stream<Arguments> invalidPacks() {
    return Stream.of(
        bad("[]", Reason.INVALID_SENML, "at least one record"),
        bad("[1]", Reason.INVALID_SENML, "record 0: is number, not an object"),
        bad("[{\"n\":\"x\",\"v\":1},[]]", Reason.INVALID_SENML, "record 1: is array"),
        bad("[{\"n\":\"x\",\"v\":1}", Reason.INVALID_SENML, "end-of-input"),
        bad("[{\"n\":\"x\"}]", Reason.INVALID_SENML, "no value (v, vs, vb or vd) and no sum"),
        bad("[{\"n\":\"x\",\"v\":1,\"vs\":\"a\"}]", Reason.INVALID_SENML, "has 2 values"),
        bad("[{\"v\":1}]", Reason.INVALID_SENML, "name '' is not a SenML name"),
        bad("[{\"n\":\"_x\",\"v\":1}]", Reason.INVALID_SENML, "name '_x' is not a SenML name"),
        bad("[{\"n\":\"a b\",\"v\":1}]", Reason.INVALID_SENML, "not a SenML name"),
        bad("[{\"n\":\"x\",\"v\":\"1\"}]", Reason.INVALID_SENML, "v must be a number, got \"1\""),
        bad("[{\"n\":7,\"v\":1}]", Reason.INVALID_SENML, "n must be a string"),
        bad("[{\"n\":\"x\",\"vb\":\"true\"}]", Reason.INVALID_SENML, "vb must be true or false"),
        bad("[{\"bver\":1.5,\"n\":\"x\",\"v\":1}]", Reason.INVALID_SENML, "positive integer"),
        bad("[{\"bver\":11,\"n\":\"x\",\"v\":1}]", Reason.INVALID_SENML, "newer than SenML"),
        bad("[{\"n\":\"x\",\"v\":1,\"foo_\":1}]", Reason.INVALID_SENML, "must be understood"),
        bad("[{\"n\":\"x\",\"v\":1,\"t\":1e300}]", Reason.INVALID_SENML, "outside the years"),
        bad("[{\"n\":\"x\",\"v\":1,\"t\":-1e13}]", Reason.INVALID_SENML, "outside the years"),
        bad("[{\"n\":\"x\",\"v\":1,\"t\":NaN}]", Reason.INVALID_SENML, "t is NaN, not finite"),
        bad("[{\"n\":\"x\",\"vd\":\"a+b/\"}]", Reason.INVALID_SENML, "base64url"),
        bad("[{\"n\":\"5700\",\"v\":1}]", Reason.INVALID_SENML, "gives no metric key"),
        bad(
            "[{\"n\":\"temp-a\",\"v\":1},{\"n\":\"temp_a\",\"v\":2}]",
            Reason.INVALID_SENML,
            "name 'temp_a' and record 0's name 'temp-a' both become the metric key 'temp_a'"),
        bad(
            "[{\"n\":\"x\",\"v\":1},{\"n\":\"x_sum\",\"v\":1},{\"n\":\"x\",\"s\":1}]",
            Reason.INVALID_SENML,
            "both become the metric key 'x_sum'"),
        bad(
            "[{\"n\":\"x\",\"v\":1,\"extra\":[NaN]}]",
            Reason.INVALID_SENML,
            "the pack holds NaN or Infinity at /0/extra/0"),
        bad("[{\"n\":\"x\",\"vs\":\"\\udbff\"}]", Reason.INVALID_SENML, "unpaired UTF-16"),
        bad("[{\"n\":\"x\",\"v\":NaN}]", Reason.NON_FINITE_METRIC, "record 0: value of 'x'"),
        bad("[{\"n\":\"x\",\"v\":1e999}]", Reason.NON_FINITE_METRIC, "not finite"),
        bad("[{\"bv\":1e308,\"n\":\"x\",\"v\":1e308}]", Reason.NON_FINITE_METRIC, "not finite"),
        bad("[{\"n\":\"x\",\"s\":-1e999}]", Reason.NON_FINITE_METRIC, "sum of 'x'"),
        bad(
            "[" + records(33, i -> "{\"n\":\"m" + i + "\",\"v\":1}") + "]",
            Reason.TOO_MANY_METRICS,
            "over 32 metrics (record 32)"),
        bad(
            "[" + records(17, i -> "{\"n\":\"t" + i + "\",\"vs\":\"a\"}") + "]",
            Reason.TOO_MANY_TAGS,
            "over 16 tags (record 16)"),
        bad(
            "[{\"n\":\"x\",\"vs\":\"" + "y".repeat(257) + "\"}]",
            Reason.INVALID_SENML,
            "vs has 257 characters"));
  }

  @ParameterizedTest(name = "[{index}] {1}: {0}")
  @MethodSource("invalidPacks")
  void malformedPacksAreRefused(String pack, Reason reason, String messageFragment) {
    Decoding.Invalid refused = invalid(senml(pack));

    assertThat(refused.reason()).isEqualTo(reason);
    assertThat(refused.message()).contains(messageFragment);
  }

  @Test
  void aLongTimeSeriesOfOneNameIsOneMetric() {
    String pack =
        "[" + records(1000, i -> "{\"n\":\"x\",\"t\":" + (-i) + ",\"v\":" + i + "}") + "]";

    Telemetry t = valid(senml(pack));

    assertThat(t.metrics()).isEqualTo(Map.of("x", 0.0));
    assertThat(t.deviceTime()).contains(RECEIVED_AT);
  }

  private static Arguments bad(String pack, Reason reason, String messageFragment) {
    return Arguments.of(pack, reason, messageFragment);
  }

  private static String records(int count, java.util.function.IntFunction<String> record) {
    return IntStream.range(0, count).mapToObj(record).collect(Collectors.joining(","));
  }
}

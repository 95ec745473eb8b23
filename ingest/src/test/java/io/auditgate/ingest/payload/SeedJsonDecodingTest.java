package io.auditgate.ingest.payload;

import static io.auditgate.ingest.payload.Decoders.RECEIVED_AT;
import static io.auditgate.ingest.payload.Decoders.TRACE_ID;
import static io.auditgate.ingest.payload.Decoders.invalid;
import static io.auditgate.ingest.payload.Decoders.telemetry;
import static io.auditgate.ingest.payload.Decoders.valid;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.ingest.IngestResult.Reason;
import io.auditgate.core.telemetry.Telemetry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SeedJsonDecodingTest {

  @Test
  void aFullMessageBecomesTelemetry() {
    Telemetry t =
        valid(
            telemetry(
                """
                {"ts": "2024-05-01T13:59:58.250+02:00", "seq": 42,
                 "metrics": {"temp_c": 21.5, "humidity": 40, "pressure_hpa": 1013.25},
                 "tags": {"site": "lab", "fw": "1.2.0"},
                 "payload": {"note": "door\\u00e9", "raw": [1, 2.50, 1e5, true, null]}}
                """));

    assertThat(t.deviceId()).isEqualTo("dev-1");
    assertThat(t.gatewayId()).isEqualTo("gw-1");
    assertThat(t.seq()).hasValue(42);
    assertThat(t.deviceTime()).contains(Instant.parse("2024-05-01T11:59:58.250Z"));
    assertThat(t.receivedAt()).isEqualTo(RECEIVED_AT);
    assertThat(t.metrics())
        .isEqualTo(Map.of("temp_c", 21.5, "humidity", 40.0, "pressure_hpa", 1013.25));
    assertThat(t.tags()).isEqualTo(Map.of("site", "lab", "fw", "1.2.0"));
    assertThat(t.payload())
        .as("compact, numbers digit for digit, escapes resolved")
        .contains("{\"note\":\"dooré\",\"raw\":[1,2.50,1E+5,true,null]}");
    assertThat(t.traceId()).isEqualTo(TRACE_ID);
    assertThat(t.sourceTopic()).isEqualTo("devices/dev-1/telemetry");
    assertThat(t.format()).isEqualTo(Telemetry.Format.SEED_JSON);
  }

  @Test
  void onlyMetricsIsRequiredAndNullMeansAbsent() {
    Telemetry minimal = valid(telemetry(" \r\n\t{\"metrics\":{}}\n"));
    Telemetry nulls =
        valid(
            telemetry("{\"ts\":null,\"seq\":null,\"metrics\":{},\"tags\":null,\"payload\":null}"));

    for (Telemetry t : new Telemetry[] {minimal, nulls}) {
      assertThat(t.seq()).isEmpty();
      assertThat(t.deviceTime()).isEmpty();
      assertThat(t.metrics()).isEmpty();
      assertThat(t.tags()).isEmpty();
      assertThat(t.payload()).isEmpty();
    }
  }

  @Test
  void limitsAreInclusive() {
    String metrics = keys(32, i -> "\"m" + i + "\":" + i);
    String tags = keys(16, i -> "\"t" + i + "\":\"" + "é".repeat(256) + "\"");
    Telemetry t =
        valid(
            telemetry(
                "{\"seq\":9223372036854775807,\"metrics\":{"
                    + metrics
                    + "},\"tags\":{"
                    + tags
                    + "}}"));

    assertThat(t.metrics()).hasSize(32);
    assertThat(t.tags()).hasSize(16);
    assertThat(t.seq()).hasValue(Long.MAX_VALUE);
    assertThat(valid(telemetry("{\"metrics\":{\"" + "a".repeat(32) + "\":1}}")).metrics())
        .containsOnlyKeys("a".repeat(32));
  }

  @Test
  void rfc3339AllowsLowerCaseSeparatorsAndNanoseconds() {
    assertThat(valid(telemetry("{\"ts\":\"2024-05-01t12:00:00.123456789z\",\"metrics\":{}}")))
        .extracting(Telemetry::deviceTime)
        .isEqualTo(java.util.Optional.of(Instant.parse("2024-05-01T12:00:00.123456789Z")));
  }

  @Test
  void escapedSurrogatePairsAreText() {
    Telemetry t = valid(telemetry("{\"metrics\":{},\"tags\":{\"mood\":\"\\ud83d\\ude00\"}}"));

    assertThat(t.tags()).containsEntry("mood", "\uD83D\uDE00");
  }

  @Test
  void aBodyOfExactlyTheLimitIsRead() {
    String head = "{\"metrics\":{},\"payload\":\"";
    String body = head + "x".repeat(64 * 1024 - head.length() - 2) + "\"}";
    assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(64 * 1024);

    assertThat(valid(telemetry(body)).payload()).isPresent();
  }

  static Stream<Arguments> invalidBodies() {
    return Stream.of(
        // invalid_json: not one JSON object or array, or not JSON at all
        bad("", Reason.INVALID_JSON, "body is empty"),
        bad(" \n ", Reason.INVALID_JSON, "body is empty"),
        bad("temp=21.5", Reason.INVALID_JSON, "starts with byte 0x74"),
        bad("\"metrics\"", Reason.INVALID_JSON, "starts with byte 0x22"),
        bad("\uFEFF{\"metrics\":{}}", Reason.INVALID_JSON, "starts with byte 0xef"),
        bad("{\"metrics\":{}", Reason.INVALID_JSON, "end-of-input"),
        bad("{\"metrics\":{}} {}", Reason.INVALID_JSON, "Trailing token"),
        bad("{\"metrics\":{},\"metrics\":{}}", Reason.INVALID_JSON, "Duplicate field 'metrics'"),
        bad("{\"metrics\":{'a':1}}", Reason.INVALID_JSON, "line 1, column"),
        bad(
            "{\"metrics\":{},\"tags\":{\"s\":\"\\ud800x\"}}",
            Reason.INVALID_JSON,
            "the string at /tags/s holds an unpaired UTF-16 surrogate escape"),
        bad("{\"metrics\":{\"\\udc00\":1}}", Reason.INVALID_JSON, "at /metrics/\\udc00 holds"),
        bad(
            "{\"metrics\":{},\"payload\":" + "[".repeat(40) + "]".repeat(40) + "}",
            Reason.INVALID_JSON,
            "nesting depth"),
        // invalid_field: the structure is wrong
        bad("{\"metric\":{}}", Reason.INVALID_FIELD, "unknown field 'metric'"),
        bad("{}", Reason.INVALID_FIELD, "metrics is required"),
        bad("{\"metrics\":[1,2]}", Reason.INVALID_FIELD, "metrics must be an object, got array"),
        bad("{\"metrics\":{\"Temp\":1}}", Reason.INVALID_FIELD, "metric key 'Temp' must match"),
        bad("{\"metrics\":{\"1st\":1}}", Reason.INVALID_FIELD, "metric key '1st'"),
        bad("{\"metrics\":{\"" + "a".repeat(33) + "\":1}}", Reason.INVALID_FIELD, "must match"),
        bad("{\"metrics\":{\"t\":\"21.5\"}}", Reason.INVALID_FIELD, "must be a number, got string"),
        bad("{\"metrics\":{\"t\":\"NaN\"}}", Reason.INVALID_FIELD, "must be a number, got string"),
        bad("{\"metrics\":{\"t\":true}}", Reason.INVALID_FIELD, "got boolean"),
        bad("{\"metrics\":{\"t\":null}}", Reason.INVALID_FIELD, "got null"),
        bad("{\"metrics\":{},\"tags\":{\"s\":1}}", Reason.INVALID_FIELD, "must be a string"),
        bad("{\"metrics\":{},\"tags\":{\"S\":\"x\"}}", Reason.INVALID_FIELD, "tag key 'S'"),
        bad("{\"metrics\":{},\"tags\":[]}", Reason.INVALID_FIELD, "tags must be an object"),
        bad(
            "{\"metrics\":{},\"tags\":{\"s\":\"" + "x".repeat(257) + "\"}}",
            Reason.INVALID_FIELD,
            "has 257 characters, at most 256"),
        bad("{\"seq\":-1,\"metrics\":{}}", Reason.INVALID_FIELD, "non-negative integer, got -1"),
        bad("{\"seq\":1.5,\"metrics\":{}}", Reason.INVALID_FIELD, "non-negative integer"),
        bad("{\"seq\":1.0,\"metrics\":{}}", Reason.INVALID_FIELD, "non-negative integer"),
        bad("{\"seq\":\"7\",\"metrics\":{}}", Reason.INVALID_FIELD, "non-negative integer"),
        bad(
            "{\"seq\":18446744073709551615,\"metrics\":{}}",
            Reason.INVALID_FIELD,
            "seq 18446744073709551615 is larger than 9223372036854775807"),
        bad(
            "{\"metrics\":{},\"payload\":{\"a\":[1,NaN]}}",
            Reason.INVALID_FIELD,
            "payload holds NaN or Infinity at /a/1"),
        bad("{\"metrics\":{},\"payload\":Infinity}", Reason.INVALID_FIELD, "at its top"),
        // too many keys
        bad(
            "{\"metrics\":{" + keys(33, i -> "\"m" + i + "\":1") + "}}",
            Reason.TOO_MANY_METRICS,
            "metrics has 33 keys, at most 32"),
        bad(
            "{\"metrics\":{},\"tags\":{" + keys(17, i -> "\"t" + i + "\":\"x\"") + "}}",
            Reason.TOO_MANY_TAGS,
            "tags has 17 keys, at most 16"),
        // non_finite_metric: numbers a double cannot hold
        bad("{\"metrics\":{\"t\":NaN}}", Reason.NON_FINITE_METRIC, "metric 't' is NaN"),
        bad("{\"metrics\":{\"t\":Infinity}}", Reason.NON_FINITE_METRIC, "not a finite number"),
        bad("{\"metrics\":{\"t\":-Infinity}}", Reason.NON_FINITE_METRIC, "not a finite number"),
        bad("{\"metrics\":{\"t\":1e999}}", Reason.NON_FINITE_METRIC, "metric 't' is 1E+999"),
        bad("{\"metrics\":{\"t\":-1e400}}", Reason.NON_FINITE_METRIC, "not a finite number"),
        bad("{\"metrics\":{\"t\":1e9999999999}}", Reason.INVALID_JSON, "number is out of range"),
        bad("{\"metrics\":{},\"payload\":-2E-9999999999}", Reason.INVALID_JSON, "out of range"),
        bad(
            "{\"metrics\":{\"t\":1" + "0".repeat(320) + "}}",
            Reason.INVALID_JSON,
            "Number value length"),
        // invalid_timestamp
        bad("{\"ts\":\"yesterday\",\"metrics\":{}}", Reason.INVALID_TIMESTAMP, "got \"yesterday\""),
        bad("{\"ts\":1714564800,\"metrics\":{}}", Reason.INVALID_TIMESTAMP, "RFC 3339"),
        bad("{\"ts\":\"2024-13-01T00:00:00Z\",\"metrics\":{}}", Reason.INVALID_TIMESTAMP, "RFC"),
        bad("{\"ts\":\"2024-05-01T23:59:60Z\",\"metrics\":{}}", Reason.INVALID_TIMESTAMP, "RFC"),
        bad("{\"ts\":\"2024-05-01 12:00:00Z\",\"metrics\":{}}", Reason.INVALID_TIMESTAMP, "RFC"),
        bad("{\"ts\":\"2024-05-01T12:00:00\",\"metrics\":{}}", Reason.INVALID_TIMESTAMP, "RFC"),
        bad("{\"ts\":\"+10000-01-01T00:00:00Z\",\"metrics\":{}}", Reason.INVALID_TIMESTAMP, "RFC"),
        bad(
            "{\"ts\":\"2024-05-01T12:00:00.1234567891Z\",\"metrics\":{}}",
            Reason.INVALID_TIMESTAMP,
            "RFC"));
  }

  @ParameterizedTest(name = "[{index}] {1}: {0}")
  @MethodSource("invalidBodies")
  void invalidBodiesAreRefusedWithAReasonAndAMessageThatSaysWhy(
      String body, Reason reason, String messageFragment) {
    Decoding.Invalid refused = invalid(telemetry(body));

    assertThat(refused.reason()).isEqualTo(reason);
    assertThat(refused.message()).contains(messageFragment);
  }

  @Test
  void aBodyOverTheLimitIsRefusedBeforeItIsRead() {
    byte[] body = new byte[64 * 1024 + 1];
    java.util.Arrays.fill(body, (byte) '{');

    Decoding.Invalid refused =
        invalid(Decoders.DECODER.decodeTelemetry(body, Decoders.context("dev-1")));

    assertThat(refused.reason()).isEqualTo(Reason.PAYLOAD_TOO_LARGE);
    assertThat(refused.message()).isEqualTo("body of 65537 bytes exceeds the limit of 65536 bytes");
  }

  @Test
  void bytesThatAreNotUtf8AreRefused() {
    byte[] latin1 =
        "{\"metrics\":{},\"tags\":{\"s\":\"caf\u00e9\"}}".getBytes(StandardCharsets.ISO_8859_1);
    byte[] utf16 = "{\"metrics\":{}}".getBytes(StandardCharsets.UTF_16LE);

    for (byte[] body : new byte[][] {latin1, utf16}) {
      Decoding.Invalid refused =
          invalid(Decoders.DECODER.decodeTelemetry(body, Decoders.context("dev-1")));
      assertThat(refused.reason()).isEqualTo(Reason.INVALID_JSON);
    }
    assertThat(
            invalid(Decoders.DECODER.decodeTelemetry(latin1, Decoders.context("dev-1"))).message())
        .isEqualTo("body is not valid UTF-8");
  }

  @Test
  void deepNestingIsRefusedWithoutExhaustingTheStack() {
    String body = "{\"metrics\":{},\"payload\":" + "[".repeat(60_000) + "}";

    assertThat(invalid(telemetry(body)).message()).contains("nesting depth");
  }

  private static Arguments bad(String body, Reason reason, String messageFragment) {
    return Arguments.of(body, reason, messageFragment);
  }

  private static String keys(int count, java.util.function.IntFunction<String> entry) {
    return IntStream.range(0, count).mapToObj(entry).collect(Collectors.joining(","));
  }
}

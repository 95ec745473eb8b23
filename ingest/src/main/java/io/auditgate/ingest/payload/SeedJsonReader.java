package io.auditgate.ingest.payload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditgate.core.ingest.IngestResult.Reason;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.envelope.BoundedJson;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The seed's telemetry JSON:
 *
 * <pre>
 * { "ts": "2024-05-01T12:00:00Z",        optional, RFC 3339
 *   "seq": 42,                           optional, integer 0..2^63-1
 *   "metrics": { "temp_c": 21.5 },       required, ≤ 32 keys, finite numbers
 *   "tags": { "site": "lab" },           optional, ≤ 16 keys, strings ≤ 256 characters
 *   "payload": { ... } }                 optional, any JSON, kept as compact text
 * </pre>
 *
 * <p>Keys of {@code metrics} and {@code tags} match {@link Telemetry#KEY}; other top-level fields
 * are refused rather than ignored, so a typo ({@code "metric"}) is reported instead of dropping
 * data. {@code null} counts as absent for the optional fields, as serialisers write it for empty
 * options. The seed declares {@code seq} a u64; values above {@link Long#MAX_VALUE} are refused
 * because the whole pipeline (and PostgreSQL's {@code bigint}) keeps it signed.
 */
final class SeedJsonReader {
  private static final List<String> FIELDS = List.of("ts", "seq", "metrics", "tags", "payload");

  private SeedJsonReader() {}

  static Decoding read(ObjectNode root, MessageContext context, BoundedJson json) {
    Fields read = new Fields();
    Optional<Decoding.Invalid> problem =
        unknownField(root)
            .or(() -> readTs(root.get("ts"), read))
            .or(() -> readSeq(root.get("seq"), read))
            .or(() -> readMetrics(root.get("metrics"), read))
            .or(() -> readTags(root.get("tags"), read))
            .or(() -> readPayload(root.get("payload"), read, json));
    if (problem.isPresent()) {
      return problem.get();
    }
    return new Decoding.Valid(
        new Telemetry(
            context.deviceId(),
            context.gatewayId(),
            read.seq,
            read.ts,
            context.receivedAt(),
            read.metrics,
            read.tags,
            read.payload,
            context.traceId(),
            context.sourceTopic(),
            Telemetry.Format.SEED_JSON));
  }

  /** What has been read so far; lives for one call. */
  private static final class Fields {
    Optional<Instant> ts = Optional.empty();
    OptionalLong seq = OptionalLong.empty();
    Map<String, Double> metrics = Map.of();
    Map<String, String> tags = Map.of();
    Optional<String> payload = Optional.empty();
  }

  private static Optional<Decoding.Invalid> unknownField(ObjectNode root) {
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      String name = field.getKey();
      if (!FIELDS.contains(name)) {
        return invalid(
            Reason.INVALID_FIELD,
            "unknown field '"
                + Snippets.quote(name)
                + "'; the fields are "
                + String.join(", ", FIELDS));
      }
    }
    return Optional.empty();
  }

  private static Optional<Decoding.Invalid> readTs(JsonNode ts, Fields into) {
    if (ts == null || ts.isNull()) {
      return Optional.empty();
    }
    Optional<Instant> parsed =
        ts.isTextual() ? DeviceTimes.parseRfc3339(ts.textValue()) : Optional.empty();
    if (parsed.isEmpty()) {
      return invalid(
          Reason.INVALID_TIMESTAMP,
          "ts must be an RFC 3339 date-time in years 0000..9999, such as 2024-05-01T12:00:00Z,"
              + " got "
              + Snippets.of(ts));
    }
    into.ts = parsed;
    return Optional.empty();
  }

  private static Optional<Decoding.Invalid> readSeq(JsonNode seq, Fields into) {
    if (seq == null || seq.isNull()) {
      return Optional.empty();
    }
    if (!seq.isIntegralNumber()) {
      return invalid(
          Reason.INVALID_FIELD, "seq must be a non-negative integer, got " + Snippets.of(seq));
    }
    BigInteger value = seq.bigIntegerValue();
    if (value.signum() < 0) {
      return invalid(Reason.INVALID_FIELD, "seq must be a non-negative integer, got " + value);
    }
    if (value.bitLength() > 63) {
      return invalid(
          Reason.INVALID_FIELD,
          "seq "
              + Snippets.of(seq)
              + " is larger than "
              + Long.MAX_VALUE
              + ", the largest sequence number the gateway keeps");
    }
    into.seq = OptionalLong.of(value.longValueExact());
    return Optional.empty();
  }

  private static Optional<Decoding.Invalid> readMetrics(JsonNode metrics, Fields into) {
    if (metrics == null || metrics.isNull()) {
      return invalid(Reason.INVALID_FIELD, "metrics is required (an object of numbers)");
    }
    if (!metrics.isObject()) {
      return invalid(
          Reason.INVALID_FIELD, "metrics must be an object, got " + Snippets.kind(metrics));
    }
    if (metrics.size() > Telemetry.MAX_METRICS) {
      return invalid(
          Reason.TOO_MANY_METRICS,
          "metrics has " + metrics.size() + " keys, at most " + Telemetry.MAX_METRICS);
    }
    Map<String, Double> values = new HashMap<>();
    for (Map.Entry<String, JsonNode> metric : metrics.properties()) {
      String key = metric.getKey();
      JsonNode value = metric.getValue();
      if (!Telemetry.isKey(key)) {
        return invalid(Reason.INVALID_FIELD, badKey("metric", key));
      }
      if (!value.isNumber()) {
        return invalid(
            Reason.INVALID_FIELD,
            "metric '"
                + key
                + "' must be a number, got "
                + Snippets.kind(value)
                + " "
                + Snippets.of(value));
      }
      double number = value.doubleValue();
      if (!Double.isFinite(number)) {
        return invalid(
            Reason.NON_FINITE_METRIC,
            "metric '" + key + "' is " + Snippets.of(value) + ", not a finite number");
      }
      values.put(key, number);
    }
    into.metrics = values;
    return Optional.empty();
  }

  private static Optional<Decoding.Invalid> readTags(JsonNode tags, Fields into) {
    if (tags == null || tags.isNull()) {
      return Optional.empty();
    }
    if (!tags.isObject()) {
      return invalid(Reason.INVALID_FIELD, "tags must be an object, got " + Snippets.kind(tags));
    }
    if (tags.size() > Telemetry.MAX_TAGS) {
      return invalid(
          Reason.TOO_MANY_TAGS, "tags has " + tags.size() + " keys, at most " + Telemetry.MAX_TAGS);
    }
    Map<String, String> values = new HashMap<>();
    for (Map.Entry<String, JsonNode> tag : tags.properties()) {
      String key = tag.getKey();
      JsonNode value = tag.getValue();
      if (!Telemetry.isKey(key)) {
        return invalid(Reason.INVALID_FIELD, badKey("tag", key));
      }
      if (!value.isTextual()) {
        return invalid(
            Reason.INVALID_FIELD,
            "tag '" + key + "' must be a string, got " + Snippets.kind(value));
      }
      String text = value.textValue();
      int chars = text.codePointCount(0, text.length());
      if (chars > PayloadDecoder.MAX_TAG_VALUE_CHARS) {
        return invalid(
            Reason.INVALID_FIELD,
            "tag '"
                + key
                + "' has "
                + chars
                + " characters, at most "
                + PayloadDecoder.MAX_TAG_VALUE_CHARS);
      }
      values.put(key, text);
    }
    into.tags = values;
    return Optional.empty();
  }

  private static Optional<Decoding.Invalid> readPayload(
      JsonNode payload, Fields into, BoundedJson json) {
    if (payload == null || payload.isNull()) {
      return Optional.empty();
    }
    Optional<String> nonFinite = BoundedJson.firstNonFinite(payload);
    if (nonFinite.isPresent()) {
      return invalid(
          Reason.INVALID_FIELD,
          "payload holds NaN or Infinity at "
              + (nonFinite.get().isEmpty() ? "its top" : nonFinite.get())
              + "; JSON has no such numbers");
    }
    into.payload = Optional.of(json.compact(payload));
    return Optional.empty();
  }

  private static String badKey(String what, String key) {
    return what + " key '" + Snippets.quote(key) + "' must match " + Telemetry.KEY.pattern();
  }

  private static Optional<Decoding.Invalid> invalid(Reason reason, String message) {
    return Optional.of(new Decoding.Invalid(reason, message));
  }
}

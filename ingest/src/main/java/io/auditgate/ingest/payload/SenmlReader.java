package io.auditgate.ingest.payload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.auditgate.core.ingest.IngestResult.Reason;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.envelope.BoundedJson;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * SenML JSON (RFC 8428): a pack of records, resolved by the RFC's rules and projected onto {@link
 * Telemetry}.
 *
 * <ul>
 *   <li>Base fields ({@code bn bt bu bv bs bver}) apply to their own record and every later one,
 *       until a later record sets them again.
 *   <li>Name = {@code bn + n}; it must follow the RFC's name rule (letters, digits, {@code -:./_},
 *       starting with a letter or digit). Its key follows {@link SenmlKeys}.
 *   <li>Time = {@code bt + t}: from 2^28 on, seconds since the epoch; below, seconds relative to
 *       when the gateway received the pack. The device time is the newest time among records with a
 *       {@code t} or a {@code bt} in effect; a record with neither means "now", which is the
 *       gateway's clock, not the device's, so it does not count.
 *   <li>{@code v} (plus {@code bv}) becomes the metric {@code <key>}; {@code s} (plus {@code bs})
 *       the metric {@code <key>_sum}; {@code vs} the tag {@code <key>}; {@code vb} the tag {@code
 *       <key>} = {@code "true"}/{@code "false"}; {@code vd} (base64url) stays in the payload only.
 *   <li>A record has one value ({@code v}, {@code vs}, {@code vb} or {@code vd}) or a sum, or both.
 *   <li>Several records of one name (a time series) give the metric the newest value; on a tie, the
 *       later record's. {@link Telemetry} holds one value per key, so the pack itself, compact, is
 *       the payload: every sample, unit and data value the device sent stays in the record.
 *   <li>Unknown fields are ignored (they stay in the payload), except those ending in {@code _},
 *       which the RFC says must be understood; {@code bver} above 10 is a format this gateway does
 *       not know. Both refuse the pack.
 * </ul>
 */
final class SenmlReader {
  private static final double ABSOLUTE_TIME_FROM = 268_435_456.0; // 2^28 seconds
  private static final long SUPPORTED_VERSION = 10;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:./_-]*");
  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");
  private static final Set<String> TEXT_LABELS = Set.of("bn", "bu", "n", "u", "vs", "vd");
  private static final Set<String> NUMBER_LABELS = Set.of("bt", "bv", "bs", "t", "ut", "v", "s");
  private static final Set<String> VALUE_LABELS = Set.of("v", "vs", "vb", "vd");

  private SenmlReader() {}

  static Decoding read(ArrayNode pack, MessageContext context, BoundedJson json) {
    if (pack.isEmpty()) {
      return new Decoding.Invalid(Reason.INVALID_SENML, "a SenML pack needs at least one record");
    }
    Resolver resolver = new Resolver(context);
    for (int i = 0; i < pack.size(); i++) {
      Optional<Decoding.Invalid> problem = resolver.add(i, pack.get(i));
      if (problem.isPresent()) {
        return problem.get();
      }
    }
    // Values the resolver does not read (unknown fields) still land in the payload.
    Optional<String> nonFinite = BoundedJson.firstNonFinite(pack);
    if (nonFinite.isPresent()) {
      return new Decoding.Invalid(
          Reason.INVALID_SENML, "the pack holds NaN or Infinity at " + nonFinite.get());
    }
    return new Decoding.Valid(resolver.telemetry(json.compact(pack)));
  }

  /** One value kept for a key, with where it came from, so later records can replace it. */
  private record Sample<T>(String origin, Instant at, int index, T value) {}

  /** Walks a pack in order, carrying the base values; lives for one call. */
  private static final class Resolver {
    private final MessageContext context;
    private final Map<String, Sample<Double>> metrics = new HashMap<>();
    private final Map<String, Sample<String>> tags = new HashMap<>();
    private String baseName = "";
    private double baseTime;
    private Optional<String> baseUnit = Optional.empty();
    private double baseValue;
    private double baseSum;
    private boolean baseTimeSet;
    private Instant newest;

    Resolver(MessageContext context) {
      this.context = context;
    }

    Optional<Decoding.Invalid> add(int index, JsonNode record) {
      if (!record.isObject()) {
        return invalid(index, "is " + Snippets.kind(record) + ", not an object");
      }
      return checkLabels(index, record).or(() -> resolve(index, record));
    }

    private Optional<Decoding.Invalid> checkLabels(int index, JsonNode record) {
      for (Map.Entry<String, JsonNode> field : record.properties()) {
        String label = field.getKey();
        JsonNode value = field.getValue();
        String expected;
        boolean ok;
        if (TEXT_LABELS.contains(label)) {
          expected = "a string";
          ok = value.isTextual();
        } else if (NUMBER_LABELS.contains(label)) {
          expected = "a number";
          ok = value.isNumber();
        } else if (label.equals("vb")) {
          expected = "true or false";
          ok = value.isBoolean();
        } else if (label.equals("bver")) {
          expected = "a positive integer";
          ok = value.isIntegralNumber() && value.canConvertToLong() && value.longValue() > 0;
        } else if (label.endsWith("_")) {
          return invalid(
              index,
              "has field '"
                  + Snippets.quote(label)
                  + "', which RFC 8428 says must be understood, and this gateway does not know it");
        } else {
          continue;
        }
        if (!ok) {
          return invalid(index, label + " must be " + expected + ", got " + Snippets.of(value));
        }
      }
      return Optional.empty();
    }

    private Optional<Decoding.Invalid> resolve(int index, JsonNode record) {
      if (record.has("bn")) {
        baseName = record.get("bn").textValue();
      }
      if (record.has("bu")) {
        baseUnit = Optional.of(record.get("bu").textValue());
      }
      if (record.has("bver") && record.get("bver").longValue() > SUPPORTED_VERSION) {
        return invalid(
            index,
            "bver " + record.get("bver") + " is newer than SenML version " + SUPPORTED_VERSION);
      }
      // A sum is a metric: keepValues refuses it as non_finite_metric, like a value.
      for (String label : new String[] {"bt", "bv", "bs", "t", "ut"}) {
        if (record.has(label) && !Double.isFinite(record.get(label).doubleValue())) {
          return invalid(index, label + " is " + Snippets.of(record.get(label)) + ", not finite");
        }
      }
      if (record.has("bt")) {
        baseTime = record.get("bt").doubleValue();
        baseTimeSet = true;
      }
      if (record.has("bv")) {
        baseValue = record.get("bv").doubleValue();
      }
      if (record.has("bs")) {
        baseSum = record.get("bs").doubleValue();
      }
      long values = VALUE_LABELS.stream().filter(record::has).count();
      if (values > 1) {
        return invalid(index, "has " + values + " values; at most one of v, vs, vb and vd");
      }
      if (values == 0 && !record.has("s")) {
        return invalid(index, "has no value (v, vs, vb or vd) and no sum (s)");
      }
      String name = baseName + (record.has("n") ? record.get("n").textValue() : "");
      if (!NAME.matcher(name).matches()) {
        return invalid(
            index,
            "name '"
                + Snippets.quote(name)
                + "' is not a SenML name: letters, digits and - : . / _, starting with a letter"
                + " or digit");
      }
      double seconds = baseTime + (record.has("t") ? record.get("t").doubleValue() : 0);
      Optional<Instant> at =
          seconds >= ABSOLUTE_TIME_FROM
              ? DeviceTimes.fromEpochSeconds(seconds)
              : DeviceTimes.relativeTo(context.receivedAt(), seconds);
      if (at.isEmpty()) {
        return invalid(index, "time " + seconds + " lies outside the years 0000..9999");
      }
      Optional<String> unit = record.has("u") ? Optional.of(record.get("u").textValue()) : baseUnit;
      Optional<String> key = SenmlKeys.keyOf(name, baseName, unit, context.deviceId());
      if (key.isEmpty()) {
        return invalid(
            index,
            "name '"
                + Snippets.quote(name)
                + "' gives no metric key: after the device prefix, lower-cased, it must match "
                + Telemetry.KEY.pattern());
      }
      boolean deviceTimed = baseTimeSet || record.has("t");
      if (deviceTimed && (newest == null || at.get().isAfter(newest))) {
        newest = at.get();
      }
      return keepValues(index, record, name, key.get(), at.get());
    }

    private Optional<Decoding.Invalid> keepValues(
        int index, JsonNode record, String name, String key, Instant at) {
      if (record.has("v")) {
        double value = baseValue + record.get("v").doubleValue();
        if (!Double.isFinite(value)) {
          return Optional.of(
              new Decoding.Invalid(
                  Reason.NON_FINITE_METRIC,
                  "record " + index + ": value of '" + Snippets.quote(name) + "' is not finite"));
        }
        Optional<Decoding.Invalid> problem = keepMetric(index, key, name, at, value);
        if (problem.isPresent()) {
          return problem;
        }
      }
      if (record.has("s")) {
        double sum = baseSum + record.get("s").doubleValue();
        String sumKey = key + "_sum";
        if (!Double.isFinite(sum)) {
          return Optional.of(
              new Decoding.Invalid(
                  Reason.NON_FINITE_METRIC,
                  "record " + index + ": the sum of '" + Snippets.quote(name) + "' is not finite"));
        }
        if (!Telemetry.isKey(sumKey)) {
          return invalid(index, "the sum's key '" + sumKey + "' is longer than 32 characters");
        }
        Optional<Decoding.Invalid> problem = keepMetric(index, sumKey, name + " (sum)", at, sum);
        if (problem.isPresent()) {
          return problem;
        }
      }
      if (record.has("vs")) {
        String text = record.get("vs").textValue();
        int chars = text.codePointCount(0, text.length());
        if (chars > PayloadDecoder.MAX_TAG_VALUE_CHARS) {
          return invalid(
              index,
              "vs has " + chars + " characters, at most " + PayloadDecoder.MAX_TAG_VALUE_CHARS);
        }
        return keepTag(index, key, name, at, text);
      }
      if (record.has("vb")) {
        return keepTag(index, key, name, at, Boolean.toString(record.get("vb").booleanValue()));
      }
      if (record.has("vd") && !BASE64URL.matcher(record.get("vd").textValue()).matches()) {
        return invalid(index, "vd must be base64url without padding");
      }
      return Optional.empty();
    }

    private Optional<Decoding.Invalid> keepMetric(
        int index, String key, String origin, Instant at, double value) {
      return keep(
          metrics,
          "metric",
          Telemetry.MAX_METRICS,
          Reason.TOO_MANY_METRICS,
          index,
          key,
          new Sample<>(origin, at, index, value));
    }

    private Optional<Decoding.Invalid> keepTag(
        int index, String key, String origin, Instant at, String value) {
      return keep(
          tags,
          "tag",
          Telemetry.MAX_TAGS,
          Reason.TOO_MANY_TAGS,
          index,
          key,
          new Sample<>(origin, at, index, value));
    }

    private static <T> Optional<Decoding.Invalid> keep(
        Map<String, Sample<T>> into,
        String what,
        int limit,
        Reason tooMany,
        int index,
        String key,
        Sample<T> sample) {
      Sample<T> held = into.get(key);
      if (held == null && into.size() == limit) {
        return Optional.of(
            new Decoding.Invalid(
                tooMany, "the pack has over " + limit + " " + what + "s (record " + index + ")"));
      }
      if (held != null && !held.origin().equals(sample.origin())) {
        return invalid(
            index,
            "name '"
                + Snippets.quote(sample.origin())
                + "' and record "
                + held.index()
                + "'s name '"
                + Snippets.quote(held.origin())
                + "' both become the "
                + what
                + " key '"
                + key
                + "'");
      }
      if (held == null || !sample.at().isBefore(held.at())) {
        into.put(key, sample);
      }
      return Optional.empty();
    }

    Telemetry telemetry(String pack) {
      Map<String, Double> metricValues = new HashMap<>();
      metrics.forEach((key, sample) -> metricValues.put(key, sample.value()));
      Map<String, String> tagValues = new HashMap<>();
      tags.forEach((key, sample) -> tagValues.put(key, sample.value()));
      return new Telemetry(
          context.deviceId(),
          context.gatewayId(),
          OptionalLong.empty(),
          Optional.ofNullable(newest),
          context.receivedAt(),
          metricValues,
          tagValues,
          Optional.of(pack),
          context.traceId(),
          context.sourceTopic(),
          Telemetry.Format.SENML_JSON);
    }

    private static Optional<Decoding.Invalid> invalid(int index, String problem) {
      return Optional.of(
          new Decoding.Invalid(Reason.INVALID_SENML, "record " + index + ": " + problem));
    }
  }
}

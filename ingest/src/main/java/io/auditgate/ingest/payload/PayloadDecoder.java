package io.auditgate.ingest.payload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditgate.core.config.IngestConfig;
import io.auditgate.core.ingest.IngestResult.Reason;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.envelope.BoundedJson;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads message bodies into {@link Telemetry}, or says why not. The format is told by the first
 * byte that is not JSON whitespace: <code>{</code> is the seed's JSON ({@link SeedJsonReader}),
 * <code>[</code> is SenML ({@link SenmlReader}); anything else is {@code invalid_json}.
 *
 * <p>Thread-safe and stateless. Never throws for bad input: every body, however malformed or
 * hostile, yields a {@link Decoding}. The cost of one call is bounded by {@code max_body_size} and
 * {@code max_json_depth}.
 */
public final class PayloadDecoder {
  /** Longest tag value, in Unicode code points. */
  public static final int MAX_TAG_VALUE_CHARS = 256;

  private final int maxBodyBytes;
  private final BoundedJson json;
  private final SeedJsonFastPath fastPath;

  public PayloadDecoder(IngestConfig config) {
    this.maxBodyBytes = Math.toIntExact(config.maxBodySize().bytes());
    this.json = new BoundedJson(maxBodyBytes, config.maxJsonDepth());
    this.fastPath = new SeedJsonFastPath(maxBodyBytes, config.maxJsonDepth());
  }

  /** A telemetry body, in the seed's JSON or SenML. */
  public Decoding decodeTelemetry(byte[] body, MessageContext context) {
    Optional<Decoding.Invalid> tooLarge = tooLarge(body);
    if (tooLarge.isPresent()) {
      return tooLarge.get();
    }
    int first = firstSignificantByte(body);
    if (first != '{' && first != '[') {
      return new Decoding.Invalid(
          Reason.INVALID_JSON,
          first < 0
              ? "body is empty"
              : String.format(
                  "body must be a JSON object (telemetry) or array (SenML); it starts with byte"
                      + " 0x%02x",
                  first));
    }
    if (first == '{') {
      Optional<Telemetry> plain = fastPath.read(body, context);
      if (plain.isPresent()) {
        return new Decoding.Valid(plain.get());
      }
    }
    return decodeTelemetryTree(body, context, first);
  }

  /** The tree path, which decides every body the fast path leaves to it, and every refusal. */
  Decoding decodeTelemetryTree(byte[] body, MessageContext context, int first) {
    BoundedJson.Parsed parsed = json.parse(body);
    if (parsed instanceof BoundedJson.Parsed.Malformed malformed) {
      return new Decoding.Invalid(
          first == '[' ? Reason.INVALID_SENML : Reason.INVALID_JSON, malformed.problem());
    }
    JsonNode root = ((BoundedJson.Parsed.Json) parsed).value();
    if (root instanceof ObjectNode object) {
      return SeedJsonReader.read(object, context, json);
    }
    if (root instanceof ArrayNode array) {
      return SenmlReader.read(array, context, json);
    }
    // Unreachable: a value that starts with '{' or '[' and parsed whole is an object or array.
    throw new IllegalStateException("parsed " + Snippets.kind(root) + " opening with " + first);
  }

  /**
   * A device event or firmware state report: one JSON object, kept whole as the payload (compact:
   * whitespace dropped, escapes resolved, numbers and key order as sent). It has no metrics, tags,
   * seq or device time: its meaning belongs to the consumers of its schema.
   */
  public Decoding decodeEvent(byte[] body, MessageContext context) {
    Optional<Decoding.Invalid> tooLarge = tooLarge(body);
    if (tooLarge.isPresent()) {
      return tooLarge.get();
    }
    if (firstSignificantByte(body) != '{') {
      return new Decoding.Invalid(Reason.INVALID_JSON, "an event must be a JSON object");
    }
    BoundedJson.Parsed parsed = json.parse(body);
    if (parsed instanceof BoundedJson.Parsed.Malformed malformed) {
      return new Decoding.Invalid(Reason.INVALID_JSON, malformed.problem());
    }
    JsonNode root = ((BoundedJson.Parsed.Json) parsed).value();
    Optional<String> nonFinite = BoundedJson.firstNonFinite(root);
    if (nonFinite.isPresent()) {
      return new Decoding.Invalid(
          Reason.INVALID_JSON, "NaN or Infinity at " + nonFinite.get() + " is not JSON");
    }
    return new Decoding.Valid(
        new Telemetry(
            context.deviceId(),
            context.gatewayId(),
            OptionalLong.empty(),
            Optional.empty(),
            context.receivedAt(),
            Map.of(),
            Map.of(),
            Optional.of(json.compact(root)),
            context.traceId(),
            context.sourceTopic(),
            Telemetry.Format.EVENT_JSON));
  }

  private Optional<Decoding.Invalid> tooLarge(byte[] body) {
    if (body.length <= maxBodyBytes) {
      return Optional.empty();
    }
    return Optional.of(
        new Decoding.Invalid(
            Reason.PAYLOAD_TOO_LARGE,
            "body of " + body.length + " bytes exceeds the limit of " + maxBodyBytes + " bytes"));
  }

  /** The first byte that is not JSON whitespace (RFC 8259 §2), or -1 if there is none. */
  static int firstSignificantByte(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return b & 0xff;
      }
    }
    return -1;
  }
}

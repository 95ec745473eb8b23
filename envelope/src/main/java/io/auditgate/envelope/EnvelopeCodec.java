package io.auditgate.envelope;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.auditgate.core.ingest.IngestRequest.Transport;
import io.auditgate.core.telemetry.Telemetry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The envelope's bytes: what the write-ahead log stores and the Kafka sink forwards verbatim as the
 * record value (topic {@code telemetry.v1}, key = device id). One JSON object in UTF-8 without
 * insignificant whitespace; every field is always present, in this order:
 *
 * <pre>
 * {"schema":"telemetry.v1",                    telemetry.v1 | device_event.v1 | firmware_update.v1
 *  "source_topic":"devices/dev-1/telemetry",   the MQTT topic or HTTP path it arrived on
 *  "device_id":"dev-1",
 *  "gateway_id":"gw-1",
 *  "seq":42,                                   an integer, or null if the device sent none
 *  "trace_id":"4bf92f3577b34da6a3ce929d0e0e4736",  W3C trace id, 32 lower-case hex digits
 *  "received_at":"2024-05-01T12:00:00.123Z",   RFC 3339 in UTC, 0, 3, 6 or 9 fraction digits
 *  "device_time":"2024-05-01T11:59:59Z",       the same form, or null
 *  "metrics":{"humidity":40.0,"temp_c":21.5},  keys sorted; numbers as Double.toString writes
 *  "tags":{"site":"lab"},                      keys sorted
 *  "payload":{"fw":"1.2.0"},                   compact JSON, or null
 *  "transport":"mqtt",                         mqtt | http | bridge
 *  "format":"seed_json"}                       seed_json | senml_json | event_json
 * </pre>
 *
 * <p>The fixed order and sorted maps make the bytes a function of the message, so what a sink
 * forwards twice is byte-identical. {@code transport} and {@code format} extend the seed's
 * envelope: the first is evidence of how a device reached the gateway, the second says how to read
 * {@code payload} (for SenML it is the whole pack) and lets {@link #decode} restore {@link
 * Telemetry#format()}. Readers ignore fields they do not know, so later additions stay compatible.
 *
 * <p>Thread-safe and stateless.
 */
public final class EnvelopeCodec {
  // An envelope holds a body of at most 64KiB at most 256 deep; these bounds only stop garbage.
  private static final int MAX_ENVELOPE_BYTES = 64 * 1024 * 1024;
  private static final int MAX_ENVELOPE_DEPTH = 300;

  private final JsonFactory factory = new JsonFactory();
  private final BoundedJson json = new BoundedJson(MAX_ENVELOPE_BYTES, MAX_ENVELOPE_DEPTH);

  /**
   * The envelope's bytes. {@code telemetry.payload()} must be one JSON value, as the payload
   * decoders produce it: it is copied in without being parsed again.
   */
  public byte[] encode(Envelope envelope) {
    Telemetry t = envelope.telemetry();
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(512 + t.payload().map(String::length).orElse(0));
    try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
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
    } catch (IOException e) {
      // Writing to memory does not fail; if it does, it is a bug.
      throw new UncheckedIOException("cannot write an envelope to memory", e);
    }
    return out.toByteArray();
  }

  /**
   * The envelope in {@code bytes}.
   *
   * @throws UnreadableEnvelopeException if they do not hold one
   */
  public Envelope decode(byte[] bytes) {
    BoundedJson.Parsed parsed = json.parse(bytes);
    if (parsed instanceof BoundedJson.Parsed.Malformed malformed) {
      throw new UnreadableEnvelopeException("envelope is not JSON: " + malformed.problem());
    }
    JsonNode root = ((BoundedJson.Parsed.Json) parsed).value();
    if (!root.isObject()) {
      throw new UnreadableEnvelopeException("envelope is not a JSON object");
    }
    String schemaName = text(root, "schema");
    EnvelopeSchema schema =
        EnvelopeSchema.fromWireName(schemaName)
            .orElseThrow(
                () -> new UnreadableEnvelopeException("unknown envelope schema " + schemaName));
    try {
      Telemetry telemetry =
          new Telemetry(
              text(root, "device_id"),
              text(root, "gateway_id"),
              seq(root),
              optionalText(root, "device_time").map(text -> instant("device_time", text)),
              instant("received_at", text(root, "received_at")),
              metrics(root),
              tags(root),
              payload(root),
              text(root, "trace_id"),
              text(root, "source_topic"),
              named(Telemetry.Format.class, "format", text(root, "format")));
      Transport transport = named(Transport.class, "transport", text(root, "transport"));
      return new Envelope(schema, transport, telemetry);
    } catch (IllegalArgumentException e) {
      throw new UnreadableEnvelopeException(
          "envelope holds an invalid message: " + e.getMessage(), e);
    }
  }

  private static JsonNode field(JsonNode root, String name) {
    JsonNode value = root.get(name);
    if (value == null) {
      throw new UnreadableEnvelopeException("envelope has no " + name);
    }
    return value;
  }

  private static String text(JsonNode root, String name) {
    JsonNode value = field(root, name);
    if (!value.isTextual()) {
      throw new UnreadableEnvelopeException(name + " must be a string, got " + value);
    }
    return value.textValue();
  }

  private static Optional<String> optionalText(JsonNode root, String name) {
    return field(root, name).isNull() ? Optional.empty() : Optional.of(text(root, name));
  }

  private static OptionalLong seq(JsonNode root) {
    JsonNode seq = field(root, "seq");
    if (seq.isNull()) {
      return OptionalLong.empty();
    }
    if (!seq.isIntegralNumber() || !seq.canConvertToLong() || seq.longValue() < 0) {
      throw new UnreadableEnvelopeException("seq must be a non-negative long, got " + seq);
    }
    return OptionalLong.of(seq.longValue());
  }

  private static Instant instant(String name, String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new UnreadableEnvelopeException(name + " is not an RFC 3339 UTC time: " + text, e);
    }
  }

  private static Map<String, Double> metrics(JsonNode root) {
    Map<String, Double> metrics = new HashMap<>();
    for (Map.Entry<String, JsonNode> metric : object(root, "metrics").properties()) {
      if (!metric.getValue().isNumber()) {
        throw new UnreadableEnvelopeException("metric " + metric.getKey() + " is not a number");
      }
      metrics.put(metric.getKey(), metric.getValue().doubleValue());
    }
    return metrics;
  }

  private static Map<String, String> tags(JsonNode root) {
    Map<String, String> tags = new HashMap<>();
    for (Map.Entry<String, JsonNode> tag : object(root, "tags").properties()) {
      if (!tag.getValue().isTextual()) {
        throw new UnreadableEnvelopeException("tag " + tag.getKey() + " is not a string");
      }
      tags.put(tag.getKey(), tag.getValue().textValue());
    }
    return tags;
  }

  private Optional<String> payload(JsonNode root) {
    JsonNode payload = field(root, "payload");
    return payload.isNull() ? Optional.empty() : Optional.of(json.compact(payload));
  }

  private static JsonNode object(JsonNode root, String name) {
    JsonNode value = field(root, name);
    if (!value.isObject()) {
      throw new UnreadableEnvelopeException(name + " must be an object, got " + value);
    }
    return value;
  }

  private static <E extends Enum<E>> E named(Class<E> type, String field, String wireName) {
    for (E constant : type.getEnumConstants()) {
      if (constant.name().toLowerCase(Locale.ROOT).equals(wireName)) {
        return constant;
      }
    }
    throw new UnreadableEnvelopeException("unknown " + field + " " + wireName);
  }
}

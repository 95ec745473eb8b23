package io.auditgate.envelope;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link GatewayEvent}'s bytes, stored in the log and forwarded verbatim to {@code
 * gateway-events.v1} (key = gateway id). One compact UTF-8 JSON object, fields in this order:
 *
 * <pre>
 * {"schema":"gateway_event.v1",
 *  "gateway_id":"gw-1",
 *  "kind":"recovered",                     see {@link GatewayEvent.Kind}
 *  "at":"2024-05-01T12:00:00.123Z",        RFC 3339 in UTC
 *  "attributes":{"bytes_truncated":"17"}}  string values, keys sorted
 * </pre>
 *
 * <p>Thread-safe and stateless.
 */
public final class GatewayEventCodec {
  public static final String SCHEMA = "gateway_event.v1";
  private static final int MAX_EVENT_BYTES = 1024 * 1024;
  private static final int MAX_EVENT_DEPTH = 8;

  private final JsonFactory factory = new JsonFactory();
  private final BoundedJson json = new BoundedJson(MAX_EVENT_BYTES, MAX_EVENT_DEPTH);

  public byte[] encode(GatewayEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("schema", SCHEMA);
      g.writeStringField("gateway_id", event.gatewayId());
      g.writeStringField("kind", event.kind().wireName());
      g.writeStringField("at", event.at().toString());
      g.writeObjectFieldStart("attributes");
      for (Map.Entry<String, String> attribute : event.attributes().entrySet()) {
        g.writeStringField(attribute.getKey(), attribute.getValue());
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      // Writing to memory does not fail; if it does, it is a bug.
      throw new UncheckedIOException("cannot write a gateway event to memory", e);
    }
    return out.toByteArray();
  }

  /**
   * The event in {@code bytes}.
   *
   * @throws UnreadableEnvelopeException if they do not hold one
   */
  public GatewayEvent decode(byte[] bytes) {
    BoundedJson.Parsed parsed = json.parse(bytes);
    if (parsed instanceof BoundedJson.Parsed.Malformed malformed) {
      throw new UnreadableEnvelopeException("gateway event is not JSON: " + malformed.problem());
    }
    JsonNode root = ((BoundedJson.Parsed.Json) parsed).value();
    if (!root.isObject() || !SCHEMA.equals(root.path("schema").textValue())) {
      throw new UnreadableEnvelopeException("not a " + SCHEMA + " object");
    }
    String kindName = text(root, "kind");
    GatewayEvent.Kind kind =
        GatewayEvent.Kind.fromWireName(kindName)
            .orElseThrow(
                () -> new UnreadableEnvelopeException("unknown gateway event kind " + kindName));
    Instant at;
    try {
      at = Instant.parse(text(root, "at"));
    } catch (DateTimeParseException e) {
      throw new UnreadableEnvelopeException("at is not an RFC 3339 UTC time", e);
    }
    JsonNode attributes = root.path("attributes");
    if (!attributes.isObject()) {
      throw new UnreadableEnvelopeException("attributes must be an object");
    }
    Map<String, String> values = new HashMap<>();
    for (Map.Entry<String, JsonNode> attribute : attributes.properties()) {
      if (!attribute.getValue().isTextual()) {
        throw new UnreadableEnvelopeException(
            "attribute " + attribute.getKey() + " must be a string");
      }
      values.put(attribute.getKey(), attribute.getValue().textValue());
    }
    return new GatewayEvent(text(root, "gateway_id"), kind, at, values);
  }

  private static String text(JsonNode root, String name) {
    JsonNode value = root.get(name);
    if (value == null || !value.isTextual()) {
      throw new UnreadableEnvelopeException(name + " must be a string");
    }
    return value.textValue();
  }
}

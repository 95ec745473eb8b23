package io.auditgate.fleet.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** The JSON the fleet tables hold (tags, details, event attributes). */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static JsonNode parse(String json) {
    if (json == null) {
      return object();
    }
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      // The store wrote it as jsonb, so it parses; anything else is a bug worth a loud failure.
      throw new IllegalStateException("stored JSON does not parse: " + e.getMessage(), e);
    }
  }

  /** A JSON object of strings as a sorted map; non-string values as their JSON text. */
  static Map<String, String> strings(String json) {
    Map<String, String> out = new TreeMap<>();
    parse(json)
        .fields()
        .forEachRemaining(
            e ->
                out.put(
                    e.getKey(),
                    e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
    return out;
  }

  static String writeMap(Map<String, String> map) {
    JsonNode node = MAPPER.valueToTree(new LinkedHashMap<>(map));
    return write(node);
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

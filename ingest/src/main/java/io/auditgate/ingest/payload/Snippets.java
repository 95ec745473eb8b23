package io.auditgate.ingest.payload;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Pieces of a body quoted in refusal messages. Messages go back to the device and into the
 * dead-letter log, so what they quote is shortened: the body itself is kept beside them anyway.
 */
final class Snippets {
  private static final int MAX_QUOTED_CHARS = 64;

  private Snippets() {}

  /** The JSON type, in words: {@code string}, {@code number}, {@code object}, … */
  static String kind(JsonNode node) {
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  /** The value as JSON text, shortened; NaN and infinities as the literals the device sent. */
  static String of(JsonNode node) {
    if (node.isDouble() && !Double.isFinite(node.doubleValue())) {
      return String.valueOf(node.doubleValue());
    }
    return quote(node.toString());
  }

  static String quote(String text) {
    return text.length() <= MAX_QUOTED_CHARS ? text : text.substring(0, MAX_QUOTED_CHARS) + "…";
  }
}

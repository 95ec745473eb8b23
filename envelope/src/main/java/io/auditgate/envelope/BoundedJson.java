package io.auditgate.envelope;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Jackson, configured once for bytes nobody vouches for. Thread-safe and stateless after
 * construction.
 *
 * <ul>
 *   <li>Input must be strict UTF-8 (RFC 8259 §8.1): Jackson would otherwise guess UTF-16/32 from
 *       zero bytes, so the bytes are decoded here, refusing malformed sequences.
 *   <li>Nesting depth, string, name and number lengths and the document length are capped, so a
 *       hostile body costs at most a bounded parse, never the stack or the heap.
 *   <li>Duplicate object keys and trailing content are errors: a body must mean one thing.
 *   <li>Strings must be Unicode: an escaped half of a surrogate pair (U+D800) without the other
 *       half is valid JSON grammar but no text (RFC 8259 §8.2); it cannot be written as UTF-8 and
 *       would poison every consumer.
 *   <li>{@code NaN} and {@code Infinity} are parsed (they are not JSON) only so that a metric
 *       holding one can be refused with its own reason; {@link #firstNonFinite} finds the rest.
 *   <li>Fractions are read as {@link java.math.BigDecimal} with trailing zeros kept, so {@link
 *       #compact} keeps a device's numbers exact, to the last digit (only the notation may change:
 *       {@code 1.5e3} becomes {@code 1.5E+3}), and never turns {@code 1e999} into the non-JSON
 *       {@code Infinity}.
 * </ul>
 */
public final class BoundedJson {
  private static final int MAX_NUMBER_CHARS = 256;

  private final ObjectMapper mapper;
  private final int maxDocumentBytes;

  /**
   * @param maxDocumentBytes longest input accepted, in bytes
   * @param maxDepth deepest nesting of arrays and objects accepted
   */
  public BoundedJson(int maxDocumentBytes, int maxDepth) {
    if (maxDocumentBytes < 1 || maxDepth < 1) {
      throw new IllegalArgumentException(
          "limits must be positive, got " + maxDocumentBytes + " bytes, depth " + maxDepth);
    }
    this.maxDocumentBytes = maxDocumentBytes;
    StreamReadConstraints limits =
        StreamReadConstraints.builder()
            .maxNestingDepth(maxDepth)
            .maxStringLength(maxDocumentBytes)
            .maxNameLength(maxDocumentBytes)
            .maxNumberLength(MAX_NUMBER_CHARS)
            .maxDocumentLength(maxDocumentBytes)
            .build();
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(limits)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    this.mapper =
        JsonMapper.builder(factory)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
  }

  /** What parsing produced: one JSON value, or why there is none. */
  public sealed interface Parsed {
    record Json(JsonNode value) implements Parsed {
      public Json {
        Objects.requireNonNull(value, "value");
      }
    }

    record Malformed(String problem) implements Parsed {
      public Malformed {
        Objects.requireNonNull(problem, "problem");
      }
    }
  }

  /** Parses exactly one JSON value from UTF-8 bytes; never throws for bad input. */
  public Parsed parse(byte[] utf8) {
    if (utf8.length > maxDocumentBytes) {
      return new Parsed.Malformed(
          "document of " + utf8.length + " bytes exceeds " + maxDocumentBytes + " bytes");
    }
    String text;
    try {
      text = strictUtf8().decode(ByteBuffer.wrap(utf8)).toString();
    } catch (CharacterCodingException e) {
      return new Parsed.Malformed("body is not valid UTF-8");
    }
    try {
      JsonNode value = mapper.readTree(text);
      if (value == null || value.isMissingNode()) {
        return new Parsed.Malformed("body holds no JSON value");
      }
      // Only an escape can produce a lone surrogate; strict UTF-8 decoding refused the rest.
      Optional<String> unpaired =
          text.contains("\\u") ? firstUnpairedSurrogate(value, "") : Optional.empty();
      if (unpaired.isPresent()) {
        return new Parsed.Malformed(
            "the string at " + unpaired.get() + " holds an unpaired UTF-16 surrogate escape");
      }
      return new Parsed.Json(value);
    } catch (JacksonException e) {
      return new Parsed.Malformed(describe(e));
    } catch (NumberFormatException e) {
      // Jackson lets BigDecimal's refusal through for exponents beyond an int (1e9999999999).
      return new Parsed.Malformed("a number is out of range: " + e.getMessage());
    }
  }

  /** The value as JSON text without insignificant whitespace. */
  public String compact(JsonNode value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      // A tree this class parsed always serialises; failing here is a bug, not bad input.
      throw new UncheckedIOException("cannot serialise a parsed JSON tree", e);
    }
  }

  /**
   * The JSON pointer (RFC 6901; empty for {@code value} itself) of the first number in {@code
   * value} that is NaN or infinite, if any. Only {@code NaN}/{@code Infinity} literals produce one:
   * overflowing literals stay exact decimals. Recursion depth is bounded by the parser's nesting
   * limit.
   */
  public static Optional<String> firstNonFinite(JsonNode value) {
    return firstNonFinite(value, "");
  }

  private static Optional<String> firstNonFinite(JsonNode value, String pointer) {
    if (value.isNumber()) {
      return (value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue())
          ? Optional.of(pointer)
          : Optional.empty();
    }
    if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        Optional<String> found = firstNonFinite(value.get(i), pointer + "/" + i);
        if (found.isPresent()) {
          return found;
        }
      }
    } else if (value.isObject()) {
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        Optional<String> found =
            firstNonFinite(field.getValue(), pointer + "/" + escape(field.getKey()));
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> firstUnpairedSurrogate(JsonNode value, String pointer) {
    if (value.isTextual()) {
      return isUnicode(value.textValue()) ? Optional.empty() : Optional.of(pointer);
    }
    if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        Optional<String> found = firstUnpairedSurrogate(value.get(i), pointer + "/" + i);
        if (found.isPresent()) {
          return found;
        }
      }
    } else if (value.isObject()) {
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        if (!isUnicode(field.getKey())) {
          // The message goes back to the device and into the dead-letter log: no lone halves.
          return Optional.of(pointer + "/" + escape(visible(field.getKey())));
        }
        String child = pointer + "/" + escape(field.getKey());
        Optional<String> found = firstUnpairedSurrogate(field.getValue(), child);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  private static boolean isUnicode(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** The text with every surrogate written as a backslash-u escape, so it can be shown. */
  private static String visible(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(Character.isSurrogate(c) ? String.format("\\u%04x", (int) c) : c);
    }
    return out.toString();
  }

  /** A key as a JSON pointer segment (RFC 6901). */
  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static CharsetDecoder strictUtf8() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /** Jackson's message without its "Source: REDACTED" noise, with line and column. */
  private static String describe(JacksonException e) {
    String message = String.valueOf(e.getOriginalMessage());
    JsonLocation at = e.getLocation();
    if (at != null && at.getLineNr() > 0) {
      message += " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }
    return message;
  }
}

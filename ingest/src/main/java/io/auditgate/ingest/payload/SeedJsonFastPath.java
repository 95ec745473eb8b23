package io.auditgate.ingest.payload;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.auditgate.core.telemetry.Telemetry;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the everyday seed-JSON body straight from Jackson's token stream, without building a tree
 * and without decoding the bytes into a String first: on the MQTT listener's event loop, that tree
 * and that copy cost more than the rest of the pipeline.
 *
 * <p>It only ever <em>accepts</em>. A body it does not see as plainly valid it leaves to {@link
 * SeedJsonReader} on {@link BoundedJson}'s tree, which then accepts or refuses it with its own
 * reason and message: a byte outside printable ASCII (so UTF-8 strictness and surrogates never come
 * up), a backslash escape, a {@code payload}, a {@code seq} beyond a long, a repeated key, a limit
 * reached, a non-finite number, a parse error of any kind. What is accepted, and the {@link
 * Telemetry} made of it, are the tree path's: numbers are converted the way its nodes convert them
 * (a fraction through {@link java.math.BigDecimal}, as {@code USE_BIG_DECIMAL_FOR_FLOATS} reads
 * it), the parser has the same limits, and trailing content is refused the same way.
 *
 * <p>Thread-safe and stateless after construction.
 */
final class SeedJsonFastPath {
  private static final int MAX_NUMBER_CHARS = 256;

  private final JsonFactory factory;

  /**
   * @param maxDocumentBytes as given to {@link BoundedJson}
   * @param maxDepth as given to {@link BoundedJson}
   */
  SeedJsonFastPath(int maxDocumentBytes, int maxDepth) {
    StreamReadConstraints limits =
        StreamReadConstraints.builder()
            .maxNestingDepth(maxDepth)
            .maxStringLength(maxDocumentBytes)
            .maxNameLength(maxDocumentBytes)
            .maxNumberLength(MAX_NUMBER_CHARS)
            .maxDocumentLength(maxDocumentBytes)
            .build();
    // Without Jackson's duplicate detection, which keeps a HashSet per object: the fast path
    // notices a repeated top-level field itself, and Map.ofEntries refuses a repeated key.
    this.factory = JsonFactory.builder().streamReadConstraints(limits).build();
  }

  /** The telemetry in {@code body}, or empty when the tree path has to decide. */
  Optional<Telemetry> read(byte[] body, MessageContext context) {
    if (!isPlainAscii(body)) {
      return Optional.empty();
    }
    try (JsonParser p = factory.createParser(body)) {
      return Optional.ofNullable(read(p, context));
    } catch (JacksonException | NumberFormatException e) {
      return Optional.empty();
    } catch (IllegalArgumentException duplicateKey) {
      return Optional.empty();
    } catch (IOException e) {
      // Reading from an array does not fail outside the parser's own exceptions.
      return Optional.empty();
    }
  }

  private static Telemetry read(JsonParser p, MessageContext context) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return null;
    }
    Optional<Instant> ts = Optional.empty();
    OptionalLong seq = OptionalLong.empty();
    Map<String, Double> metrics = null;
    Map<String, String> tags = Map.of();
    int seen = 0;
    JsonToken token;
    while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      int bit = fieldBit(name);
      if ((seen & bit) != 0) {
        return null; // a repeated field; the tree path's parser names it
      }
      seen |= bit;
      JsonToken value = p.nextToken();
      if (value == JsonToken.VALUE_NULL && !name.equals("metrics") && isField(name)) {
        continue; // null counts as absent for the optional fields
      }
      switch (name) {
        case "ts" -> {
          if (value != JsonToken.VALUE_STRING) {
            return null;
          }
          ts = DeviceTimes.parseRfc3339(p.getText());
          if (ts.isEmpty()) {
            return null;
          }
        }
        case "seq" -> {
          if (value != JsonToken.VALUE_NUMBER_INT
              || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
              || p.getLongValue() < 0) {
            return null;
          }
          seq = OptionalLong.of(p.getLongValue());
        }
        case "metrics" -> {
          metrics = value == JsonToken.START_OBJECT ? metrics(p) : null;
          if (metrics == null) {
            return null;
          }
        }
        case "tags" -> {
          tags = value == JsonToken.START_OBJECT ? tags(p) : null;
          if (tags == null) {
            return null;
          }
        }
        default -> {
          return null; // a payload, or an unknown field the tree path names in its refusal
        }
      }
    }
    if (token != JsonToken.END_OBJECT || p.nextToken() != null || metrics == null) {
      return null;
    }
    return new Telemetry(
        context.deviceId(),
        context.gatewayId(),
        seq,
        ts,
        context.receivedAt(),
        metrics,
        tags,
        Optional.empty(),
        context.traceId(),
        context.sourceTopic(),
        Telemetry.Format.SEED_JSON);
  }

  private static boolean isField(String name) {
    return fieldBit(name) != 0;
  }

  private static int fieldBit(String name) {
    return switch (name) {
      case "ts" -> 1;
      case "seq" -> 2;
      case "metrics" -> 4;
      case "tags" -> 8;
      case "payload" -> 16;
      default -> 0;
    };
  }

  // Maps are built immutable at once (the parser has refused duplicate keys), so Telemetry has
  // nothing to copy.

  private static Map<String, Double> metrics(JsonParser p) throws IOException {
    @SuppressWarnings("unchecked")
    Map.Entry<String, Double>[] values = new Map.Entry[Telemetry.MAX_METRICS];
    int n = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken value = p.nextToken();
      if (n == Telemetry.MAX_METRICS || !Telemetry.isKey(key)) {
        return null;
      }
      double number;
      if (value == JsonToken.VALUE_NUMBER_INT) {
        number = integer(p);
      } else if (value == JsonToken.VALUE_NUMBER_FLOAT) {
        number = p.getDecimalValue().doubleValue();
      } else {
        return null;
      }
      if (!Double.isFinite(number)) {
        return null;
      }
      values[n++] = Map.entry(key, number);
    }
    return Map.ofEntries(Arrays.copyOf(values, n));
  }

  /** As the tree's IntNode, LongNode or BigIntegerNode would give it. */
  private static double integer(JsonParser p) throws IOException {
    return switch (p.getNumberType()) {
      case INT -> p.getIntValue();
      case LONG -> (double) p.getLongValue();
      default -> p.getBigIntegerValue().doubleValue();
    };
  }

  private static Map<String, String> tags(JsonParser p) throws IOException {
    @SuppressWarnings("unchecked")
    Map.Entry<String, String>[] values = new Map.Entry[Telemetry.MAX_TAGS];
    int n = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken value = p.nextToken();
      if (n == Telemetry.MAX_TAGS || !Telemetry.isKey(key)) {
        return null;
      }
      if (value != JsonToken.VALUE_STRING) {
        return null;
      }
      String text = p.getText();
      // ASCII only, so characters are code points.
      if (text.length() > PayloadDecoder.MAX_TAG_VALUE_CHARS) {
        return null;
      }
      values[n++] = Map.entry(key, text);
    }
    return Map.ofEntries(Arrays.copyOf(values, n));
  }

  /**
   * Printable ASCII and JSON whitespace, without a backslash: bytes that are valid UTF-8 and whose
   * strings hold exactly the characters written, so no surrogate escape can hide in them.
   */
  private static boolean isPlainAscii(byte[] body) {
    for (byte b : body) {
      if ((b < 0x20 || b > 0x7e || b == '\\') && b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}

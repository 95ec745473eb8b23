package io.auditgate.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditgate.core.ingest.IngestRequest.Transport;
import io.auditgate.core.telemetry.Telemetry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

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
 * <p>Thread-safe; between calls it keeps nothing but a per-thread scratch buffer.
 */
public final class EnvelopeCodec {
  // An envelope holds a body of at most 64KiB at most 256 deep; these bounds only stop garbage.
  private static final int MAX_ENVELOPE_BYTES = 64 * 1024 * 1024;
  private static final int MAX_ENVELOPE_DEPTH = 300;

  // The names the envelope writes, made once rather than lower-cased per message.
  static final String[] TRANSPORT_NAMES = wireNames(Transport.values());
  static final String[] FORMAT_NAMES = wireNames(Telemetry.Format.values());

  /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years written with four digits. */
  private static final long YEAR_0000 = -62_167_219_200L;

  private static final long YEAR_9999_END = 253_402_300_799L;

  private final BoundedJson json = new BoundedJson(MAX_ENVELOPE_BYTES, MAX_ENVELOPE_DEPTH);

  /**
   * The envelope's bytes. {@code telemetry.payload()} must be one JSON value, as the payload
   * decoders produce it: it is copied in without being parsed again.
   *
   * <p>Written by hand rather than through a {@link com.fasterxml.jackson.core.JsonGenerator}: this
   * runs once per message on the MQTT event loop, where the generator's setup, a TreeMap per map
   * and {@link Instant#toString} cost more than the bytes. The output is what the generator wrote
   * (its string escapes, {@link Double#toString} numbers, {@link Instant#toString} times), which
   * the tests pin.
   */
  public byte[] encode(Envelope envelope) {
    Telemetry t = envelope.telemetry();
    Out out = SCRATCH.get().reset();
    out.ascii("{\"schema\":").string(envelope.schema().wireName());
    out.ascii(",\"source_topic\":").string(t.sourceTopic());
    out.ascii(",\"device_id\":").string(t.deviceId());
    out.ascii(",\"gateway_id\":").string(t.gatewayId());
    out.ascii(",\"seq\":");
    if (t.seq().isPresent()) {
      out.ascii(Long.toString(t.seq().getAsLong()));
    } else {
      out.ascii("null");
    }
    out.ascii(",\"trace_id\":").string(t.traceId());
    out.ascii(",\"received_at\":").instant(t.receivedAt());
    out.ascii(",\"device_time\":");
    if (t.deviceTime().isPresent()) {
      out.instant(t.deviceTime().get());
    } else {
      out.ascii("null");
    }
    out.ascii(",\"metrics\":{");
    String[] keys = sortedKeys(t.metrics());
    for (int i = 0; i < keys.length; i++) {
      out.ascii(i == 0 ? "" : ",").string(keys[i]).ascii(":");
      out.ascii(Double.toString(t.metrics().get(keys[i])));
    }
    out.ascii("},\"tags\":{");
    keys = sortedKeys(t.tags());
    for (int i = 0; i < keys.length; i++) {
      out.ascii(i == 0 ? "" : ",").string(keys[i]).ascii(":").string(t.tags().get(keys[i]));
    }
    out.ascii("},\"payload\":");
    if (t.payload().isPresent()) {
      out.raw(t.payload().get());
    } else {
      out.ascii("null");
    }
    out.ascii(",\"transport\":\"").ascii(TRANSPORT_NAMES[envelope.transport().ordinal()]);
    out.ascii("\",\"format\":\"").ascii(FORMAT_NAMES[t.format().ordinal()]).ascii("\"}");
    byte[] bytes = out.toByteArray();
    out.shrink();
    return bytes;
  }

  /**
   * Each thread's envelope buffer, reused, so that a message allocates its envelope's bytes and
   * nothing else: growing a fresh buffer per message was most of what encoding allocated.
   */
  private static final ThreadLocal<Out> SCRATCH = ThreadLocal.withInitial(Out::new);

  private static String[] wireNames(Enum<?>[] constants) {
    String[] names = new String[constants.length];
    for (Enum<?> constant : constants) {
      names[constant.ordinal()] = constant.name().toLowerCase(Locale.ROOT);
    }
    return names;
  }

  private static String[] sortedKeys(Map<String, ?> map) {
    String[] keys = map.keySet().toArray(new String[0]);
    Arrays.sort(keys);
    return keys;
  }

  /** A growing UTF-8 buffer that writes JSON the way Jackson's generator writes it. */
  private static final class Out {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private static final int CAPACITY = 1024;

    /** Larger buffers, grown for a large payload, are not kept for the next message. */
    private static final int MAX_KEPT = 64 * 1024;

    private byte[] bytes = new byte[CAPACITY];
    private int size;

    Out reset() {
      size = 0;
      return this;
    }

    void shrink() {
      if (bytes.length > MAX_KEPT) {
        bytes = new byte[CAPACITY];
      }
    }

    Out ascii(String text) {
      int n = text.length();
      ensure(n);
      byte[] b = bytes;
      int at = size;
      for (int i = 0; i < n; i++) {
        b[at++] = (byte) text.charAt(i);
      }
      size = at;
      return this;
    }

    /**
     * A JSON string: quotes, backslashes, control characters and UTF-16 surrogates escaped, the
     * rest as UTF-8.
     */
    Out string(String text) {
      int n = text.length();
      // Room for one byte per character and the quotes up front keeps the loop to a compare and
      // a store per character; the first character that needs more reserves the worst case for
      // the rest (six bytes each, as escapes).
      ensure(2 + n);
      byte[] b = bytes;
      int at = size;
      b[at++] = '"';
      for (int i = 0; i < n; i++) {
        char c = text.charAt(i);
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
          b[at++] = (byte) c;
          continue;
        }
        size = at;
        ensure(1 + 6L * (n - i));
        if (c < 0x80 || Character.isSurrogate(c)) {
          escape(c); // Jackson escapes each half of a pair rather than writing four bytes
        } else {
          i = utf8(text, i);
        }
        b = bytes;
        at = size;
      }
      b[at++] = '"';
      size = at;
      return this;
    }

    /** JSON text copied in unchanged, as UTF-8. */
    Out raw(String json) {
      int n = json.length();
      for (int i = 0; i < n; i++) {
        char c = json.charAt(i);
        if (c < 0x80) {
          ensure(1);
          bytes[size++] = (byte) c;
        } else {
          i = utf8(json, i);
        }
      }
      return this;
    }

    /** As {@link Instant#toString}: ISO-8601 in UTC, fraction digits in groups of three. */
    Out instant(Instant at) {
      long seconds = at.getEpochSecond();
      if (seconds < YEAR_0000 || seconds > YEAR_9999_END) {
        return string(at.toString()); // signed or five-digit years: rare enough to format slowly
      }
      LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
      int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
      ensure(32);
      bytes[size++] = '"';
      digits(date.getYear(), 4);
      bytes[size++] = '-';
      digits(date.getMonthValue(), 2);
      bytes[size++] = '-';
      digits(date.getDayOfMonth(), 2);
      bytes[size++] = 'T';
      digits(secondOfDay / 3600, 2);
      bytes[size++] = ':';
      digits(secondOfDay / 60 % 60, 2);
      bytes[size++] = ':';
      digits(secondOfDay % 60, 2);
      int nanos = at.getNano();
      if (nanos > 0) {
        bytes[size++] = '.';
        if (nanos % 1_000_000 == 0) {
          digits(nanos / 1_000_000, 3);
        } else if (nanos % 1_000 == 0) {
          digits(nanos / 1_000, 6);
        } else {
          digits(nanos, 9);
        }
      }
      bytes[size++] = 'Z';
      bytes[size++] = '"';
      return this;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(bytes, size);
    }

    private void digits(int value, int width) {
      for (int i = size + width - 1; i >= size; i--) {
        bytes[i] = (byte) ('0' + value % 10);
        value /= 10;
      }
      size += width;
    }

    private void escape(char c) {
      ensure(6);
      bytes[size++] = '\\';
      switch (c) {
        case '"' -> bytes[size++] = '"';
        case '\\' -> bytes[size++] = '\\';
        case '\b' -> bytes[size++] = 'b';
        case '\t' -> bytes[size++] = 't';
        case '\n' -> bytes[size++] = 'n';
        case '\f' -> bytes[size++] = 'f';
        case '\r' -> bytes[size++] = 'r';
        default -> {
          bytes[size++] = 'u';
          bytes[size++] = HEX[c >> 12];
          bytes[size++] = HEX[(c >> 8) & 0xF];
          bytes[size++] = HEX[(c >> 4) & 0xF];
          bytes[size++] = HEX[c & 0xF];
        }
      }
    }

    /** Writes the non-ASCII character at {@code i} (a pair, if it starts one); returns its end. */
    private int utf8(String text, int i) {
      char c = text.charAt(i);
      ensure(4);
      if (c < 0x800) {
        bytes[size++] = (byte) (0xC0 | (c >> 6));
        bytes[size++] = (byte) (0x80 | (c & 0x3F));
        return i;
      }
      if (!Character.isSurrogate(c)) {
        bytes[size++] = (byte) (0xE0 | (c >> 12));
        bytes[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        bytes[size++] = (byte) (0x80 | (c & 0x3F));
        return i;
      }
      if (!Character.isHighSurrogate(c)
          || i + 1 >= text.length()
          || !Character.isLowSurrogate(text.charAt(i + 1))) {
        // The decoders refuse such text; writing it would put invalid UTF-8 in the log.
        throw new IllegalArgumentException("unpaired UTF-16 surrogate in envelope text");
      }
      int cp = Character.toCodePoint(c, text.charAt(i + 1));
      bytes[size++] = (byte) (0xF0 | (cp >> 18));
      bytes[size++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
      bytes[size++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
      bytes[size++] = (byte) (0x80 | (cp & 0x3F));
      return i + 1;
    }

    private void ensure(long more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.toIntExact(Math.max(bytes.length * 2L, size + more)));
      }
    }
  }

  /**
   * The envelope in {@code bytes}.
   *
   * @throws UnreadableEnvelopeException if they do not hold one
   */
  public Envelope decode(byte[] bytes) {
    if (bytes.length <= MAX_ENVELOPE_BYTES) {
      Envelope canonical = CanonicalEnvelopeReader.read(bytes);
      if (canonical != null) {
        return canonical;
      }
    }
    return decodeGeneral(bytes);
  }

  /**
   * The general way, for every envelope {@link CanonicalEnvelopeReader} does not take: a strict
   * JSON parse into a tree, fields in any order, unknown fields ignored, and a reason for every
   * refusal.
   */
  Envelope decodeGeneral(byte[] bytes) {
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

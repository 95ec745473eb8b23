package io.auditgate.envelope;

import io.auditgate.core.ingest.IngestRequest.Transport;
import io.auditgate.core.telemetry.Telemetry;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads an envelope written exactly as {@link EnvelopeCodec#encode} writes it, in one pass over the
 * bytes with neither a parser nor a tree: every field in its fixed order, no whitespace, strings of
 * printable ASCII without escapes, numbers as JSON writes them, {@code "payload":null}. The store
 * consumer decodes every record it is given, and the general, strict parser cost it more than the
 * database did.
 *
 * <p>It never refuses anything: whatever is not canonical (another order, a field it does not know,
 * an escape, a non-ASCII byte, a payload, a duplicate key, a value the message would not accept)
 * makes {@link #read} return {@code null}, and {@link EnvelopeCodec#decode} takes the general way,
 * which reads every valid envelope and words every refusal. So the two ways cannot disagree on what
 * an envelope means, only on how fast they get there; {@code EnvelopeCodecTest} pins that.
 *
 * <p>Stateless and thread-safe.
 */
final class CanonicalEnvelopeReader {
  private static final Transport[] TRANSPORTS = Transport.values();
  private static final Telemetry.Format[] FORMATS = Telemetry.Format.values();

  private CanonicalEnvelopeReader() {}

  /** The envelope in {@code bytes}, or {@code null} when they are not in the canonical form. */
  static Envelope read(byte[] bytes) {
    try {
      return new Cursor(bytes).envelope();
    } catch (NotCanonical | IllegalArgumentException | DateTimeException e) {
      return null;
    }
  }

  /** Thrown inside the reader only, and cheaply (no stack trace): "take the general way". */
  private static final class NotCanonical extends RuntimeException {
    private static final NotCanonical INSTANCE = new NotCanonical();

    private NotCanonical() {
      super(null, null, false, false);
    }
  }

  private static final class Cursor {
    private final byte[] b;
    private int at;

    Cursor(byte[] bytes) {
      this.b = bytes;
    }

    Envelope envelope() {
      expect("{\"schema\":");
      EnvelopeSchema schema = EnvelopeSchema.fromWireName(string()).orElseThrow(Cursor::fail);
      expect(",\"source_topic\":");
      String sourceTopic = string();
      expect(",\"device_id\":");
      String deviceId = string();
      expect(",\"gateway_id\":");
      String gatewayId = string();
      expect(",\"seq\":");
      OptionalLong seq = nullNext() ? OptionalLong.empty() : OptionalLong.of(unsignedLong());
      expect(",\"trace_id\":");
      String traceId = string();
      expect(",\"received_at\":");
      Instant receivedAt = instant();
      expect(",\"device_time\":");
      Optional<Instant> deviceTime = nullNext() ? Optional.empty() : Optional.of(instant());
      expect(",\"metrics\":");
      Map<String, Double> metrics = metrics();
      expect(",\"tags\":");
      Map<String, String> tags = tags();
      expect(",\"payload\":null,\"transport\":");
      Transport transport = TRANSPORTS[wireName(string(), EnvelopeCodec.TRANSPORT_NAMES)];
      expect(",\"format\":");
      Telemetry.Format format = FORMATS[wireName(string(), EnvelopeCodec.FORMAT_NAMES)];
      expect("}");
      if (at != b.length) {
        throw fail();
      }
      Telemetry telemetry =
          new Telemetry(
              deviceId,
              gatewayId,
              seq,
              deviceTime,
              receivedAt,
              metrics,
              tags,
              Optional.empty(),
              traceId,
              sourceTopic,
              format);
      return new Envelope(schema, transport, telemetry);
    }

    private static NotCanonical fail() {
      return NotCanonical.INSTANCE;
    }

    private void expect(String literal) {
      int n = literal.length();
      if (at + n > b.length) {
        throw fail();
      }
      for (int i = 0; i < n; i++) {
        if (b[at + i] != literal.charAt(i)) {
          throw fail();
        }
      }
      at += n;
    }

    private boolean nullNext() {
      if (at + 4 <= b.length
          && b[at] == 'n'
          && b[at + 1] == 'u'
          && b[at + 2] == 'l'
          && b[at + 3] == 'l') {
        at += 4;
        return true;
      }
      return false;
    }

    /** A string of printable ASCII other than the quote and the backslash. */
    private String string() {
      int start = at + 1;
      if (at >= b.length || b[at] != '"') {
        throw fail();
      }
      int i = start;
      while (i < b.length) {
        byte c = b[i];
        if (c == '"') {
          at = i + 1;
          return new String(b, start, i - start, StandardCharsets.ISO_8859_1);
        }
        if (c < 0x20 || c > 0x7e || c == '\\') {
          throw fail();
        }
        i++;
      }
      throw fail();
    }

    /** Digits without a leading zero that fit a long: never negative. */
    private long unsignedLong() {
      int start = at;
      digits();
      int n = at - start;
      if (n == 0
          || n > 19
          || (n > 1 && b[start] == '0')
          || (at < b.length && isNumberByte(b[at]))) {
        throw fail();
      }
      // Past Long.MAX_VALUE it throws NumberFormatException: the general way words that.
      return Long.parseLong(new String(b, start, n, StandardCharsets.ISO_8859_1));
    }

    /**
     * A JSON number (RFC 8259 §6) as a double, correctly rounded as the general way's decimal
     * reading is.
     */
    private double number() {
      int start = at;
      if (at < b.length && b[at] == '-') {
        at++;
      }
      int intStart = at;
      digits();
      if (at == intStart || (at - intStart > 1 && b[intStart] == '0')) {
        throw fail();
      }
      if (at < b.length && b[at] == '.') {
        at++;
        int fraction = at;
        digits();
        if (at == fraction) {
          throw fail();
        }
      }
      if (at < b.length && (b[at] == 'e' || b[at] == 'E')) {
        at++;
        if (at < b.length && (b[at] == '+' || b[at] == '-')) {
          at++;
        }
        int exponent = at;
        digits();
        // The general way reads decimals exactly, and gives up on exponents that do not fit an
        // int; a double's need at most three digits, so longer ones go its way.
        if (at == exponent || at - exponent > 3) {
          throw fail();
        }
      }
      // The general way refuses numbers longer than this; let it say so.
      if (at - start > 256) {
        throw fail();
      }
      double value =
          Double.parseDouble(new String(b, start, at - start, StandardCharsets.ISO_8859_1));
      // The general way reads decimals exactly first, and an exact zero has no sign: -0.0 is 0.0.
      if (value == 0.0 && b[start] == '-') {
        throw fail();
      }
      return value;
    }

    private void digits() {
      while (at < b.length && b[at] >= '0' && b[at] <= '9') {
        at++;
      }
    }

    private static boolean isNumberByte(byte c) {
      return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+';
    }

    private Map<String, Double> metrics() {
      expect("{");
      Map<String, Double> metrics = new HashMap<>();
      if (peek('}')) {
        return metrics;
      }
      do {
        String name = string();
        expect(":");
        if (metrics.put(name, number()) != null) {
          throw fail();
        }
      } while (comma());
      expect("}");
      return metrics;
    }

    private Map<String, String> tags() {
      expect("{");
      Map<String, String> tags = new HashMap<>();
      if (peek('}')) {
        return tags;
      }
      do {
        String name = string();
        expect(":");
        if (tags.put(name, string()) != null) {
          throw fail();
        }
      } while (comma());
      expect("}");
      return tags;
    }

    private boolean peek(char closing) {
      if (at < b.length && b[at] == closing) {
        at++;
        return true;
      }
      return false;
    }

    private boolean comma() {
      return peek(',');
    }

    private static int wireName(String name, String[] names) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(name)) {
          return i;
        }
      }
      throw fail();
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, the form {@link Instant#toString} writes for years
     * 0000 to 9999. A leap second, an offset or anything else goes the general way.
     */
    private Instant instant() {
      if (at >= b.length || b[at] != '"') {
        throw fail();
      }
      int p = at + 1;
      int year = fixed(p, 4);
      int month = fixed(p + 5, 2);
      int day = fixed(p + 8, 2);
      int hour = fixed(p + 11, 2);
      int minute = fixed(p + 14, 2);
      int second = fixed(p + 17, 2);
      if (b[p + 4] != '-'
          || b[p + 7] != '-'
          || b[p + 10] != 'T'
          || b[p + 13] != ':'
          || b[p + 16] != ':'
          || hour > 23
          || minute > 59
          || second > 59) {
        throw fail();
      }
      p += 19;
      int nanos = 0;
      if (p < b.length && b[p] == '.') {
        p++;
        int digits = 0;
        while (p < b.length && b[p] >= '0' && b[p] <= '9') {
          if (++digits > 9) {
            throw fail();
          }
          nanos = nanos * 10 + (b[p++] - '0');
        }
        if (digits == 0) {
          throw fail();
        }
        for (int d = digits; d < 9; d++) {
          nanos *= 10;
        }
      }
      if (p + 1 >= b.length || b[p] != 'Z' || b[p + 1] != '"') {
        throw fail();
      }
      at = p + 2;
      long epochDay = LocalDate.of(year, month, day).toEpochDay(); // refuses 31 April
      return Instant.ofEpochSecond(
          epochDay * 86_400L + hour * 3600L + minute * 60L + second, nanos);
    }

    /** {@code width} decimal digits at {@code from}. */
    private int fixed(int from, int width) {
      if (from + width > b.length) {
        throw fail();
      }
      int value = 0;
      for (int i = from; i < from + width; i++) {
        if (b[i] < '0' || b[i] > '9') {
          throw fail();
        }
        value = value * 10 + (b[i] - '0');
      }
      return value;
    }
  }
}

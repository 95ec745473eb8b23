package io.auditgate.sim;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes readings as the seed's telemetry JSON:
 *
 * <pre>{@code
 * {"ts":"2025-01-01T12:00:00.250Z","seq":42,
 *  "metrics":{"temperature_c":22.51,"humidity_pct":48.2,...,"distance_mm":734},
 *  "tags":{"board":"B-L475E-IOT01A","firmware_version":"1.0.0"}}
 * }</pre>
 *
 * <p>{@code ts} is RFC 3339 in UTC; whole-number metrics are written without a fraction.
 * Thread-safe.
 */
public final class TelemetryJson {
  private static final JsonFactory JSON = new JsonFactory();

  private TelemetryJson() {}

  /** The reading as seed JSON, UTF-8. */
  public static byte[] encode(Reading reading) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("ts", DateTimeFormatter.ISO_INSTANT.format(reading.timestamp()));
      json.writeNumberField("seq", reading.seq());
      json.writeObjectFieldStart("metrics");
      for (Map.Entry<String, Double> metric : reading.metrics().entrySet()) {
        double value = metric.getValue();
        json.writeFieldName(metric.getKey());
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
          json.writeNumber((long) value);
        } else {
          json.writeNumber(value);
        }
      }
      json.writeEndObject();
      json.writeObjectFieldStart("tags");
      for (Map.Entry<String, String> tag : reading.tags().entrySet()) {
        json.writeStringField(tag.getKey(), tag.getValue());
      }
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  /**
   * The reading's JSON cut off in the middle, as a firmware buffer bug or a truncated write leaves
   * it: every proper prefix of a JSON object is invalid JSON.
   */
  public static byte[] malformed(Reading reading) {
    byte[] valid = encode(reading);
    return Arrays.copyOf(valid, valid.length / 2);
  }
}

package io.auditgate.store.internal;

import java.util.List;
import java.util.Map;

/**
 * Builds PostgreSQL {@code COPY ... FROM STDIN} text-format rows: columns separated by a tab, rows
 * ended by a newline, {@code \N} for NULL, and backslash, tab, newline and carriage return escaped
 * in every value. Array and JSON values are composed here too, then escaped as any other text.
 *
 * <p>Not thread-safe; one per batch.
 */
public final class CopyText {
  private final StringBuilder out;
  private boolean rowStarted;

  public CopyText(int expectedRows) {
    this.out = new StringBuilder(Math.max(256, expectedRows * 320));
  }

  /** Appends a text value, escaped. */
  public CopyText text(String value) {
    separator();
    escapeInto(value, out);
    return this;
  }

  /** Appends NULL. */
  public CopyText nullValue() {
    separator();
    out.append("\\N");
    return this;
  }

  /** Appends a text value, or NULL when {@code value} is null. */
  public CopyText textOrNull(String value) {
    return value == null ? nullValue() : text(value);
  }

  /** Appends an integer. */
  public CopyText number(long value) {
    separator();
    out.append(value);
    return this;
  }

  /** Appends a double, which must be finite (Java's shortest round-trip form, read exactly). */
  public CopyText decimal(double value) {
    separator();
    out.append(value);
    return this;
  }

  /** Appends a {@code text[]} literal; every element is quoted so any key survives. */
  public CopyText textArray(List<String> values) {
    return text(arrayLiteral(values));
  }

  /** A {@code text[]} literal of {@code values}, every element quoted. */
  public static String arrayLiteral(List<String> values) {
    StringBuilder array = new StringBuilder(values.size() * 12 + 2).append('{');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        array.append(',');
      }
      array.append('"');
      String v = values.get(i);
      for (int j = 0; j < v.length(); j++) {
        char c = v.charAt(j);
        if (c == '"' || c == '\\') {
          array.append('\\');
        }
        array.append(c);
      }
      array.append('"');
    }
    return array.append('}').toString();
  }

  /** A {@code double precision[]} literal of {@code values}, which must be finite. */
  public static String arrayLiteral(double[] values) {
    StringBuilder array = new StringBuilder(values.length * 8 + 2).append('{');
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        array.append(',');
      }
      array.append(values[i]);
    }
    return array.append('}').toString();
  }

  /** Appends a {@code double precision[]} literal; values must be finite. */
  public CopyText doubleArray(double[] values) {
    separator();
    out.append('{');
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(values[i]);
    }
    out.append('}');
    return this;
  }

  /** Appends a JSON object of string values (for {@code jsonb}). */
  public CopyText jsonObject(Map<String, String> values) {
    return text(json(values));
  }

  /** A JSON object of string values, as text. */
  public static String json(Map<String, String> values) {
    StringBuilder json = new StringBuilder(values.size() * 24 + 2).append('{');
    boolean first = true;
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (!first) {
        json.append(',');
      }
      first = false;
      jsonString(e.getKey(), json);
      json.append(':');
      jsonString(e.getValue(), json);
    }
    return json.append('}').toString();
  }

  /** Ends the current row. */
  public CopyText endRow() {
    out.append('\n');
    rowStarted = false;
    return this;
  }

  /** The rows so far. */
  public String toString() {
    return out.toString();
  }

  private void separator() {
    if (rowStarted) {
      out.append('\t');
    }
    rowStarted = true;
  }

  static void escapeInto(String value, StringBuilder out) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(c);
      }
    }
  }

  static void jsonString(String value, StringBuilder json) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    json.append('"');
  }
}

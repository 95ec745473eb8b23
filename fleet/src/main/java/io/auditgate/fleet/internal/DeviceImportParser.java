package io.auditgate.fleet.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.auditgate.fleet.DeviceProfile;
import io.auditgate.fleet.DeviceRegistration;
import io.auditgate.fleet.ImportError;
import io.auditgate.fleet.ImportError.Reason;
import io.auditgate.fleet.ImportFormat;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads a device import (CSV or JSON, formats in docs/fleet.md) into registrations, checking every
 * record for everything that does not need the database; profiles are checked by the registry.
 * Collects every error rather than stopping at the first, so one run shows the whole input's
 * problems. Not thread-safe; one instance per import.
 */
public final class DeviceImportParser {
  static final Set<String> FIELDS =
      Set.of(
          "id",
          "name",
          "profile",
          "location",
          "firmware_version",
          "bound_certificate_sha256",
          "tags");

  private static final Pattern ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
  private static final Pattern TAG_KEY = Pattern.compile("^[a-z][a-z0-9_]{0,31}$");
  private static final Pattern HEX64 = Pattern.compile("^[0-9a-f]{64}$");

  /** A valid record and where it was. */
  public record Parsed(int line, int record, DeviceRegistration registration) {}

  /** The records that passed and the errors found. */
  public record Result(List<Parsed> records, List<ImportError> errors) {}

  private final List<Parsed> records = new ArrayList<>();
  private final List<ImportError> errors = new ArrayList<>();
  private final Map<String, Integer> firstLineOfId = new HashMap<>();
  private final Map<String, String> deviceOfCertificate = new HashMap<>();

  public static Result parse(Reader input, ImportFormat format) {
    DeviceImportParser p = new DeviceImportParser();
    try {
      if (format == ImportFormat.CSV) {
        p.csv(input);
      } else {
        p.json(input);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (p.records.isEmpty() && p.errors.isEmpty()) {
      p.errors.add(
          new ImportError(
              0, 0, Reason.EMPTY_INPUT, Optional.empty(), "the input holds no devices"));
    }
    return new Result(List.copyOf(p.records), List.copyOf(p.errors));
  }

  // ---- CSV (RFC 4180: quotes, doubled quotes, line breaks inside quotes) ----

  private void csv(Reader input) throws IOException {
    CsvReader reader = new CsvReader(input);
    Optional<CsvReader.Row> header = reader.next();
    if (header.isEmpty()) {
      return;
    }
    List<String> columns = new ArrayList<>();
    for (String raw : header.get().cells()) {
      String column = raw.trim().toLowerCase(Locale.ROOT);
      if (!FIELDS.contains(column)) {
        errors.add(
            new ImportError(
                header.get().line(),
                0,
                Reason.UNKNOWN_FIELD,
                Optional.of(raw),
                "unknown column; known: " + sortedFields()));
      }
      columns.add(column);
    }
    if (!columns.contains("id")) {
      errors.add(
          new ImportError(
              header.get().line(), 0, Reason.MISSING_ID, Optional.of("id"), "no id column"));
    }
    if (!errors.isEmpty()) {
      return;
    }
    int record = 0;
    for (Optional<CsvReader.Row> row = reader.next(); row.isPresent(); row = reader.next()) {
      CsvReader.Row r = row.get();
      if (r.cells().size() == 1 && r.cells().get(0).isBlank()) {
        continue; // blank line
      }
      record++;
      if (r.malformed().isPresent()) {
        errors.add(
            new ImportError(
                r.line(), record, Reason.MALFORMED, Optional.empty(), r.malformed().get()));
        continue;
      }
      if (r.cells().size() != columns.size()) {
        errors.add(
            new ImportError(
                r.line(),
                record,
                Reason.MALFORMED,
                Optional.empty(),
                "expected " + columns.size() + " fields, got " + r.cells().size()));
        continue;
      }
      Map<String, String> fields = new LinkedHashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        fields.put(columns.get(i), r.cells().get(i).trim());
      }
      String tagText = fields.getOrDefault("tags", "");
      Optional<Map<String, String>> tags = csvTags(r.line(), record, tagText);
      if (tags.isPresent()) {
        accept(r.line(), record, fields, tags.get());
      }
    }
  }

  private static String sortedFields() {
    return String.join(", ", new java.util.TreeSet<>(FIELDS));
  }

  /** {@code key=value;key=value}; an empty text is no tags. */
  private Optional<Map<String, String>> csvTags(int line, int record, String text) {
    Map<String, String> tags = new TreeMap<>();
    if (text.isBlank()) {
      return Optional.of(tags);
    }
    for (String pair : text.split(";", -1)) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        errors.add(
            new ImportError(
                line,
                record,
                Reason.BAD_TAG,
                Optional.of("tags"),
                "expected key=value;key=value, got '" + pair + "'"));
        return Optional.empty();
      }
      String key = pair.substring(0, eq).trim();
      if (tags.put(key, pair.substring(eq + 1).trim()) != null) {
        errors.add(
            new ImportError(
                line, record, Reason.BAD_TAG, Optional.of("tags"), "tag '" + key + "' twice"));
        return Optional.empty();
      }
    }
    return Optional.of(tags);
  }

  // ---- JSON: an array of objects ----

  private void json(Reader input) throws IOException {
    try (JsonParser parser = Json.MAPPER.getFactory().createParser(input)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return;
      }
      if (first != JsonToken.START_ARRAY) {
        errors.add(
            new ImportError(
                line(parser.currentTokenLocation()),
                0,
                Reason.MALFORMED,
                Optional.empty(),
                "expected a JSON array of device objects"));
        return;
      }
      int record = 0;
      for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
        if (t == null) {
          errors.add(
              new ImportError(
                  line(parser.currentLocation()),
                  record,
                  Reason.MALFORMED,
                  Optional.empty(),
                  "the array is not closed"));
          return;
        }
        record++;
        int line = line(parser.currentTokenLocation());
        JsonNode node = parser.readValueAsTree();
        if (node == null || !node.isObject()) {
          errors.add(
              new ImportError(
                  line, record, Reason.MALFORMED, Optional.empty(), "expected a JSON object"));
          continue;
        }
        jsonRecord(line, record, node);
      }
    } catch (JsonProcessingException e) {
      errors.add(
          new ImportError(
              line(e.getLocation()),
              0,
              Reason.MALFORMED,
              Optional.empty(),
              "not valid JSON: " + e.getOriginalMessage()));
    }
  }

  private void jsonRecord(int line, int record, JsonNode node) {
    Map<String, String> fields = new LinkedHashMap<>();
    Map<String, String> tags = new TreeMap<>();
    boolean ok = true;
    for (var it = node.fields(); it.hasNext(); ) {
      var e = it.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (!FIELDS.contains(key)) {
        errors.add(
            new ImportError(
                line,
                record,
                Reason.UNKNOWN_FIELD,
                Optional.of(key),
                "unknown field; known: " + sortedFields()));
        ok = false;
      } else if (key.equals("tags")) {
        if (!value.isObject()) {
          errors.add(
              new ImportError(
                  line,
                  record,
                  Reason.BAD_TAG,
                  Optional.of("tags"),
                  "tags must be an object of strings"));
          ok = false;
          continue;
        }
        for (var t = value.fields(); t.hasNext(); ) {
          var tag = t.next();
          if (!tag.getValue().isTextual()) {
            errors.add(
                new ImportError(
                    line,
                    record,
                    Reason.BAD_TAG,
                    Optional.of("tags"),
                    "tag '" + tag.getKey() + "' must be a string"));
            ok = false;
          } else {
            tags.put(tag.getKey(), tag.getValue().asText());
          }
        }
      } else if (value.isNull()) {
        fields.put(key, "");
      } else if (!value.isTextual()) {
        errors.add(
            new ImportError(
                line,
                record,
                key.equals("id") ? Reason.INVALID_ID : Reason.INVALID_FIELD,
                Optional.of(key),
                "must be a string"));
        ok = false;
      } else {
        fields.put(key, value.asText().trim());
      }
    }
    if (ok) {
      accept(line, record, fields, tags);
    }
  }

  private static int line(JsonLocation location) {
    return location == null ? 0 : Math.max(0, location.getLineNr());
  }

  // ---- checks shared by both formats ----

  private void accept(int line, int record, Map<String, String> fields, Map<String, String> tags) {
    int before = errors.size();
    String id = fields.getOrDefault("id", "");
    if (id.isEmpty()) {
      errors.add(new ImportError(line, record, Reason.MISSING_ID, Optional.of("id"), "no id"));
    } else if (!ID.matcher(id).matches()) {
      errors.add(
          new ImportError(
              line,
              record,
              Reason.INVALID_ID,
              Optional.of("id"),
              "'" + id + "' does not match " + ID));
    } else {
      Integer first = firstLineOfId.putIfAbsent(id, line);
      if (first != null) {
        errors.add(
            new ImportError(
                line,
                record,
                Reason.DUPLICATE_ID,
                Optional.of("id"),
                "'" + id + "' already on line " + first));
      }
    }
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      if (!TAG_KEY.matcher(tag.getKey()).matches()) {
        errors.add(
            new ImportError(
                line,
                record,
                Reason.BAD_TAG,
                Optional.of("tags"),
                "tag key '" + tag.getKey() + "' does not match " + TAG_KEY));
      } else if (tag.getValue().length() > 128) {
        errors.add(
            new ImportError(
                line,
                record,
                Reason.BAD_TAG,
                Optional.of("tags"),
                "tag '" + tag.getKey() + "' longer than 128 characters"));
      }
    }
    if (tags.size() > 16) {
      errors.add(
          new ImportError(line, record, Reason.BAD_TAG, Optional.of("tags"), "more than 16 tags"));
    }
    Optional<String> fingerprint =
        optional(fields.get("bound_certificate_sha256"))
            .map(f -> f.replace(":", "").toLowerCase(Locale.ROOT));
    if (fingerprint.isPresent() && !HEX64.matcher(fingerprint.get()).matches()) {
      errors.add(
          new ImportError(
              line,
              record,
              Reason.BAD_CERTIFICATE_FINGERPRINT,
              Optional.of("bound_certificate_sha256"),
              "expected 64 hex digits (colons allowed)"));
    }
    if (fingerprint.isPresent() && HEX64.matcher(fingerprint.get()).matches()) {
      String other = deviceOfCertificate.putIfAbsent(fingerprint.get(), id);
      if (other != null && !other.equals(id)) {
        errors.add(
            new ImportError(
                line,
                record,
                Reason.CERTIFICATE_BOUND_ELSEWHERE,
                Optional.of("bound_certificate_sha256"),
                "already bound to '" + other + "' in this input"));
      }
    }
    for (String text : List.of("name", "location", "firmware_version")) {
      String v = fields.getOrDefault(text, "");
      if (v.length() > 256) {
        errors.add(
            new ImportError(
                line,
                record,
                Reason.INVALID_FIELD,
                Optional.of(text),
                "longer than 256 characters"));
      }
    }
    String profile = optional(fields.get("profile")).orElse(DeviceProfile.DEFAULT);
    if (errors.size() > before) {
      return;
    }
    try {
      records.add(
          new Parsed(
              line,
              record,
              new DeviceRegistration(
                  id,
                  optional(fields.get("name")),
                  profile,
                  optional(fields.get("location")),
                  optional(fields.get("firmware_version")),
                  fingerprint,
                  tags)));
    } catch (IllegalArgumentException e) {
      // what the checks above do not name (for example a profile name of the wrong syntax)
      errors.add(
          new ImportError(
              line,
              record,
              e.getMessage().startsWith("profile") ? Reason.UNKNOWN_PROFILE : Reason.INVALID_FIELD,
              Optional.empty(),
              e.getMessage()));
    }
  }

  private static Optional<String> optional(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }
}

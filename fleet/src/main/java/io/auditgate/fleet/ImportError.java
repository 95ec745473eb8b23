package io.auditgate.fleet;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Why one record of an import (or one registration) was refused.
 *
 * @param line the 1-based line of the input where the record starts (CSV: the header is line 1;
 *     JSON: the line of the object's opening brace); 0 when the input as a whole is refused
 * @param record the 1-based number of the record (the CSV row after the header, the JSON array
 *     element); 0 when the input as a whole is refused
 * @param field the offending field's name, when one is to blame
 */
public record ImportError(
    int line, int record, Reason reason, Optional<String> field, String message) {
  public ImportError {
    if (line < 0 || record < 0) {
      throw new IllegalArgumentException("line and record must be >= 0");
    }
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }

  /** Reason codes; wire names are the lower-case constant names. */
  public enum Reason {
    /** The input is empty or has no records. */
    EMPTY_INPUT,
    /** Not parseable as the format: a broken quote, bad JSON, a row of the wrong width. */
    MALFORMED,
    /** A CSV header or JSON field that the import does not know. */
    UNKNOWN_FIELD,
    /** No id. */
    MISSING_ID,
    /** An id that does not match {@code ^[A-Za-z0-9_-]{1,64}$}. */
    INVALID_ID,
    /** The same id twice in one input. */
    DUPLICATE_ID,
    /** A profile that is not registered. */
    UNKNOWN_PROFILE,
    /** Tags not of the form {@code key=value;key=value}, a bad key, too long, too many. */
    BAD_TAG,
    /** A certificate fingerprint that is not 64 hex digits. */
    BAD_CERTIFICATE_FINGERPRINT,
    /** A certificate already bound to another device (in the registry or earlier in the input). */
    CERTIFICATE_BOUND_ELSEWHERE,
    /** Another field out of bounds (too long, blank). */
    INVALID_FIELD;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code line 3 (record 2): unknown_profile [profile]: ...}, for a terminal. */
  public String describe() {
    String where = line == 0 ? "input" : "line " + line + " (record " + record + ")";
    return where
        + ": "
        + reason.wireName()
        + field.map(f -> " [" + f + "]").orElse("")
        + ": "
        + message;
  }
}

package io.auditgate.fleet;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Constructor checks of the fleet's records, so that every message reads the same. */
final class Values {
  /** Device and gateway ids: the telemetry contract's id syntax. */
  static final Pattern ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

  /** Tag keys: the telemetry contract's key syntax. */
  static final Pattern TAG_KEY = Pattern.compile("^[a-z][a-z0-9_]{0,31}$");

  /** A SHA-256 fingerprint: 64 lower-case hex digits. */
  static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");

  /** Profile names: lower-case, digits, dot, dash, underscore. */
  static final Pattern PROFILE = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,63}$");

  static final int MAX_LIMIT = 1000;
  static final int MAX_TEXT = 256;
  static final int MAX_TAGS = 16;
  static final int MAX_TAG_VALUE = 128;

  private Values() {}

  static String id(String name, String value) {
    Objects.requireNonNull(value, name);
    if (!ID.matcher(value).matches()) {
      throw new IllegalArgumentException(name + " must match " + ID + ", got '" + value + "'");
    }
    return value;
  }

  static String profile(String name, String value) {
    Objects.requireNonNull(value, name);
    if (!PROFILE.matcher(value).matches()) {
      throw new IllegalArgumentException(name + " must match " + PROFILE + ", got '" + value + "'");
    }
    return value;
  }

  static Optional<String> text(String name, Optional<String> value) {
    Objects.requireNonNull(value, name);
    value.ifPresent(
        v -> {
          if (v.isBlank() || v.length() > MAX_TEXT) {
            throw new IllegalArgumentException(
                name + " must be 1.." + MAX_TEXT + " characters and not blank");
          }
        });
    return value;
  }

  static Optional<String> sha256(String name, Optional<String> value) {
    Objects.requireNonNull(value, name);
    value.ifPresent(
        v -> {
          if (!SHA256.matcher(v).matches()) {
            throw new IllegalArgumentException(
                name + " must be 64 lower-case hex digits, got '" + v + "'");
          }
        });
    return value;
  }

  static Map<String, String> tags(String name, Map<String, String> tags) {
    Objects.requireNonNull(tags, name);
    if (tags.size() > MAX_TAGS) {
      throw new IllegalArgumentException(name + " must hold at most " + MAX_TAGS + " tags");
    }
    tags.forEach((k, v) -> tag(name, k, v));
    return Collections.unmodifiableSortedMap(new TreeMap<>(tags));
  }

  static void tag(String name, String key, String value) {
    Objects.requireNonNull(key, name + " key");
    Objects.requireNonNull(value, name + " value");
    if (!TAG_KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          name + " key must match " + TAG_KEY + ", got '" + key + "'");
    }
    if (value.length() > MAX_TAG_VALUE) {
      throw new IllegalArgumentException(
          name + " value must be at most " + MAX_TAG_VALUE + " characters");
    }
  }

  static int limit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
    }
    return limit;
  }

  static int offset(int offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0, got " + offset);
    }
    return offset;
  }

  static long notNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }
    return value;
  }

  static Duration positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }

  static <T> List<T> list(String name, List<T> values) {
    return List.copyOf(Objects.requireNonNull(values, name));
  }
}

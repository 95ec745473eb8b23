package io.auditgate.core.config;

import java.time.Duration;

/** Start-up validation helpers whose messages name the key, so every check reads the same. */
public final class Check {
  private Check() {}

  public static <T> T orDefault(T value, T fallback) {
    return value != null ? value : fallback;
  }

  public static DataSize between(String key, DataSize value, DataSize min, DataSize max) {
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  public static Duration between(String key, Duration value, Duration min, Duration max) {
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  public static String matches(String key, String value, String regex) {
    if (!value.matches(regex)) {
      throw new ConfigException(key, "must match " + regex + ", got '" + value + "'");
    }
    return value;
  }

  public static void that(boolean condition, String key, String problem) {
    if (!condition) {
      throw new ConfigException(key, problem);
    }
  }
}

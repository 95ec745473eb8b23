package io.auditgate.core.config;

import io.auditgate.core.AuditgateException;

/**
 * A configuration value is invalid. {@link #key()} names the offending key in the configuration
 * file's spelling (snake_case), relative to the record that rejected it; the loader prefixes the
 * section so the operator reads, for example, {@code wal.segment_size: must be at least 4KiB}.
 */
public class ConfigException extends AuditgateException {
  private final String key;
  private final String problem;

  public ConfigException(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
    this.problem = problem;
  }

  public String key() {
    return key;
  }

  public String problem() {
    return problem;
  }

  /** The same problem, with its key placed under {@code section}. */
  public ConfigException under(String section) {
    return new ConfigException(section.isEmpty() ? key : section + "." + key, problem);
  }
}

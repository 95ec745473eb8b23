package io.auditgate.core.config;

import static io.auditgate.core.config.Check.orDefault;

import java.nio.file.Path;

/**
 * The gateway's identity and where it keeps its data (section {@code gateway}).
 *
 * @param id the gateway's id, stamped on every record it forwards; {@code ^[A-Za-z0-9_-]{1,64}$}
 * @param dataDir directory for the write-ahead log and other state; created if missing
 * @param enabled whether this process runs the gateway role (log, listeners, dispatcher); off for a
 *     process that only runs the store consumer
 */
public record GatewayConfig(String id, Path dataDir, Boolean enabled) {
  public GatewayConfig {
    id = Check.matches("id", orDefault(id, "gateway-1"), "^[A-Za-z0-9_-]{1,64}$");
    dataDir = orDefault(dataDir, Path.of("data"));
    enabled = orDefault(enabled, true);
  }

  /** An enabled gateway. */
  public GatewayConfig(String id, Path dataDir) {
    this(id, dataDir, null);
  }

  public static GatewayConfig defaults() {
    return new GatewayConfig(null, null, null);
  }

  /** Where the embedded PostgreSQL keeps its data when no database is configured. */
  public Path postgresDir() {
    return dataDir.resolve("postgres");
  }

  /** Where the write-ahead log lives. */
  public Path walDir() {
    return dataDir.resolve("wal");
  }
}

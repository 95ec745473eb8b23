package io.auditgate.core.config;

import static io.auditgate.core.config.Check.orDefault;

import java.nio.file.Path;

/**
 * The gateway's identity and where it keeps its data (section {@code gateway}).
 *
 * @param id the gateway's id, stamped on every record it forwards; {@code ^[A-Za-z0-9_-]{1,64}$}
 * @param dataDir directory for the write-ahead log and other state; created if missing
 */
public record GatewayConfig(String id, Path dataDir) {
  public GatewayConfig {
    id = Check.matches("id", orDefault(id, "gateway-1"), "^[A-Za-z0-9_-]{1,64}$");
    dataDir = orDefault(dataDir, Path.of("data"));
  }

  public static GatewayConfig defaults() {
    return new GatewayConfig(null, null);
  }

  /** Where the write-ahead log lives. */
  public Path walDir() {
    return dataDir.resolve("wal");
  }
}

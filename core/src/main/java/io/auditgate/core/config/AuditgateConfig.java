package io.auditgate.core.config;

import static io.auditgate.core.config.Check.orDefault;

/**
 * The whole configuration: one typed tree of records, loaded from YAML, overridden by environment
 * variables and flags, validated when it is built. Sections grow with the features.
 */
public record AuditgateConfig(
    GatewayConfig gateway, WalConfig wal, IngestConfig ingest, AuthConfig auth) {
  public AuditgateConfig {
    gateway = orDefault(gateway, GatewayConfig.defaults());
    wal = orDefault(wal, WalConfig.defaults());
    ingest = orDefault(ingest, IngestConfig.defaults());
    auth = orDefault(auth, AuthConfig.defaults());
  }

  public static AuditgateConfig defaults() {
    return new AuditgateConfig(null, null, null, null);
  }
}

package io.auditgate.core.config;

import static io.auditgate.core.config.Check.orDefault;

/**
 * The whole configuration: one typed tree of records, loaded from YAML, overridden by environment
 * variables and flags, validated when it is built. Sections grow with the features.
 *
 * @param tls the listeners' certificate, key and client CA; null when none is configured, in which
 *     case a listener starts only with its explicit plaintext opt-in
 */
public record AuditgateConfig(
    GatewayConfig gateway,
    WalConfig wal,
    IngestConfig ingest,
    AuthConfig auth,
    TlsConfig tls,
    MqttConfig mqtt,
    HttpIngestConfig http,
    BridgeConfig bridge) {
  public AuditgateConfig {
    gateway = orDefault(gateway, GatewayConfig.defaults());
    wal = orDefault(wal, WalConfig.defaults());
    ingest = orDefault(ingest, IngestConfig.defaults());
    auth = orDefault(auth, AuthConfig.defaults());
    mqtt = orDefault(mqtt, MqttConfig.defaults());
    http = orDefault(http, HttpIngestConfig.defaults());
    bridge = orDefault(bridge, BridgeConfig.defaults());
  }

  public static AuditgateConfig defaults() {
    return new AuditgateConfig(null, null, null, null, null, null, null, null);
  }
}

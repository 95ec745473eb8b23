package io.auditgate.core.config;

import static io.auditgate.core.config.Check.between;
import static io.auditgate.core.config.Check.orDefault;

import java.time.Duration;

/**
 * The HTTPS ingest listener's settings (section {@code http}). Every field may be left out; the
 * compact constructor fills in the defaults and rejects values that cannot work.
 *
 * @param bindHost address to listen on; {@code 0.0.0.0} (the default) listens on every interface
 * @param port TCP port, 8443 by default; 0 picks a free port (tests)
 * @param maxBodySize largest request body, a batch included; 64KiB by default, the largest
 *     telemetry message the payload contract allows
 * @param maxBatchItems most messages in one batch request, 100 by default
 * @param maxConnections connections open at once at most; further ones are closed on accept, so a
 *     flood of idle sockets cannot exhaust file descriptors or memory
 * @param idleTimeout a connection with no request in progress and no traffic for this long is
 *     closed
 * @param plaintextAllowed whether the listener may run without TLS. False by default: a plaintext
 *     listener sends device credentials in the clear (the audit reports it as {@code
 *     ingest_auth.insecure_transport}), so it must be asked for by name
 * @param deviceRequestsPerSecond requests one device may make per second (a burst of one second's
 *     worth is allowed) before it is answered 429; 0, the default, disables the limit
 */
public record HttpIngestConfig(
    String bindHost,
    Integer port,
    DataSize maxBodySize,
    Integer maxBatchItems,
    Integer maxConnections,
    Duration idleTimeout,
    Boolean plaintextAllowed,
    Integer deviceRequestsPerSecond) {

  public HttpIngestConfig {
    bindHost = orDefault(bindHost, "0.0.0.0");
    Check.that(!bindHost.isBlank(), "bind_host", "must name an address or host, got ''");
    port = intBetween("port", orDefault(port, 8443), 0, 65_535);
    maxBodySize =
        between(
            "max_body_size",
            orDefault(maxBodySize, DataSize.ofKibibytes(64)),
            DataSize.ofBytes(1),
            DataSize.ofMebibytes(16));
    maxBatchItems = intBetween("max_batch_items", orDefault(maxBatchItems, 100), 1, 10_000);
    maxConnections = intBetween("max_connections", orDefault(maxConnections, 4096), 1, 1_000_000);
    idleTimeout =
        between(
            "idle_timeout",
            orDefault(idleTimeout, Duration.ofSeconds(60)),
            Duration.ofSeconds(1),
            Duration.ofHours(1));
    plaintextAllowed = orDefault(plaintextAllowed, false);
    deviceRequestsPerSecond =
        intBetween(
            "device_requests_per_second", orDefault(deviceRequestsPerSecond, 0), 0, 1_000_000);
  }

  /** Every setting at its default. */
  public static HttpIngestConfig defaults() {
    return new HttpIngestConfig(null, null, null, null, null, null, null, null);
  }

  /** The same settings listening on another address and port (0 picks a free port). */
  public HttpIngestConfig withBind(String host, int newPort) {
    return new HttpIngestConfig(
        host,
        newPort,
        maxBodySize,
        maxBatchItems,
        maxConnections,
        idleTimeout,
        plaintextAllowed,
        deviceRequestsPerSecond);
  }

  // Check has no integer form yet; kept here rather than widening a shared class in this change.
  private static int intBetween(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }
}

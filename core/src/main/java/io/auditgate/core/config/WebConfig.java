package io.auditgate.core.config;

import static io.auditgate.core.config.Check.between;
import static io.auditgate.core.config.Check.orDefault;

import java.time.Duration;

/**
 * The control plane's HTTPS server (section {@code web}): the fleet API under {@code /api/v1}, the
 * dashboard, and the operations endpoints {@code /healthz}, {@code /readyz} and {@code /metrics}.
 * Every field may be left out; the compact constructor fills in the defaults and rejects values
 * that cannot work.
 *
 * @param enabled whether a node with a store serves it; true by default (a node without a store has
 *     nothing to serve and never starts it)
 * @param bindHost address to listen on; {@code 127.0.0.1} by default, so the API is reachable from
 *     other hosts only when asked for
 * @param port TCP port, 9443 by default (8443 is the HTTPS ingest listener's, and both run in one
 *     node); 0 picks a free port (tests, the demo)
 * @param allowPlaintext whether the server may run without TLS when the node has no {@code tls}
 *     section. False by default: API tokens would travel in the clear, which the audit reports; so
 *     it must be asked for by name
 * @param maxBodySize largest request body (a device import included); 1MiB by default
 * @param maxConnections connections open at once at most; further ones are closed on accept
 * @param idleTimeout a connection with no traffic for this long is closed
 * @param workerThreads threads that run API requests (they block on the database); 4 by default
 */
public record WebConfig(
    Boolean enabled,
    String bindHost,
    Integer port,
    Boolean allowPlaintext,
    DataSize maxBodySize,
    Integer maxConnections,
    Duration idleTimeout,
    Integer workerThreads) {

  public WebConfig {
    enabled = orDefault(enabled, true);
    bindHost = orDefault(bindHost, "127.0.0.1");
    Check.that(!bindHost.isBlank(), "bind_host", "must name an address or host, got ''");
    port = intBetween("port", orDefault(port, 9443), 0, 65_535);
    allowPlaintext = orDefault(allowPlaintext, false);
    maxBodySize =
        between(
            "max_body_size",
            orDefault(maxBodySize, DataSize.ofMebibytes(1)),
            DataSize.ofKibibytes(1),
            DataSize.ofMebibytes(64));
    maxConnections = intBetween("max_connections", orDefault(maxConnections, 256), 1, 100_000);
    idleTimeout =
        between(
            "idle_timeout",
            orDefault(idleTimeout, Duration.ofSeconds(60)),
            Duration.ofSeconds(1),
            Duration.ofHours(1));
    workerThreads = intBetween("worker_threads", orDefault(workerThreads, 4), 1, 256);
  }

  /** Every setting at its default. */
  public static WebConfig defaults() {
    return new WebConfig(null, null, null, null, null, null, null, null);
  }

  /** The same settings listening on another address and port (0 picks a free port). */
  public WebConfig withBind(String host, int newPort) {
    return new WebConfig(
        enabled,
        host,
        newPort,
        allowPlaintext,
        maxBodySize,
        maxConnections,
        idleTimeout,
        workerThreads);
  }

  /** The same settings with plaintext allowed or not. */
  public WebConfig withAllowPlaintext(boolean allow) {
    return new WebConfig(
        enabled, bindHost, port, allow, maxBodySize, maxConnections, idleTimeout, workerThreads);
  }

  /** The same settings with another body limit. */
  public WebConfig withMaxBodySize(DataSize size) {
    return new WebConfig(
        enabled, bindHost, port, allowPlaintext, size, maxConnections, idleTimeout, workerThreads);
  }

  /** The same settings, enabled or not. */
  public WebConfig withEnabled(boolean on) {
    return new WebConfig(
        on,
        bindHost,
        port,
        allowPlaintext,
        maxBodySize,
        maxConnections,
        idleTimeout,
        workerThreads);
  }

  private static int intBetween(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }
}

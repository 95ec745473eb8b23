package io.auditgate.core.config;

import static io.auditgate.core.config.Check.between;
import static io.auditgate.core.config.Check.orDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The control plane's HTTPS server (section {@code web}): the fleet API under {@code /api/v1}, the
 * dashboard, and the operations endpoints {@code /healthz}, {@code /readyz} and {@code /metrics}.
 * Every field may be left out; the compact constructor fills in the defaults and rejects values
 * that cannot work.
 *
 * @param enabled whether the node serves it at all; true by default. A node with a store serves it
 *     whenever this is true; a node without one (a gateway forwarding to Kafka) serves only the
 *     operations endpoints, and only when {@code tokens_file} is set too: that is its opt-in, so
 *     two processes on one host (the demo's gateway child beside the store node) never race for the
 *     port by default
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
 * @param tokensFile a file of API token hashes with scopes (format in {@code
 *     io.auditgate.web.tokens.TokensFile}), read once at start; the only token source of a node
 *     without a store, an additional one (tried first) on a node with one; absent by default
 * @param maxFailedTokenAttempts failed token attempts one remote address may make within {@code
 *     failed_token_attempts_window} before its requests to token-protected routes are answered 429
 *     without looking at the token; 10 by default
 * @param failedTokenAttemptsWindow see {@code max_failed_token_attempts}; 60 s by default
 */
public record WebConfig(
    Boolean enabled,
    String bindHost,
    Integer port,
    Boolean allowPlaintext,
    DataSize maxBodySize,
    Integer maxConnections,
    Duration idleTimeout,
    Integer workerThreads,
    Path tokensFile,
    Integer maxFailedTokenAttempts,
    Duration failedTokenAttemptsWindow) {

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
    Check.that(
        tokensFile == null || !tokensFile.toString().isBlank(),
        "tokens_file",
        "must name a file, got ''");
    maxFailedTokenAttempts =
        intBetween("max_failed_token_attempts", orDefault(maxFailedTokenAttempts, 10), 1, 100_000);
    failedTokenAttemptsWindow =
        between(
            "failed_token_attempts_window",
            orDefault(failedTokenAttemptsWindow, Duration.ofSeconds(60)),
            Duration.ofSeconds(1),
            Duration.ofDays(1));
  }

  /** {@code tokens_file}, when set. */
  public Optional<Path> optionalTokensFile() {
    return Optional.ofNullable(tokensFile);
  }

  /** Every setting at its default. */
  public static WebConfig defaults() {
    return new WebConfig(null, null, null, null, null, null, null, null, null, null, null);
  }

  /** The same settings listening on another address and port (0 picks a free port). */
  public WebConfig withBind(String host, int newPort) {
    return copy(
        c -> {
          c.bindHost = host;
          c.port = newPort;
        });
  }

  /** The same settings with plaintext allowed or not. */
  public WebConfig withAllowPlaintext(boolean allow) {
    return copy(c -> c.allowPlaintext = allow);
  }

  /** The same settings with another body limit. */
  public WebConfig withMaxBodySize(DataSize size) {
    return copy(c -> c.maxBodySize = size);
  }

  /** The same settings, enabled or not. */
  public WebConfig withEnabled(boolean on) {
    return copy(c -> c.enabled = on);
  }

  /** The same settings with another tokens file (null for none). */
  public WebConfig withTokensFile(Path file) {
    return copy(c -> c.tokensFile = file);
  }

  /** The same settings with another failed-token-attempt limit. */
  public WebConfig withFailedTokenAttempts(int max, Duration window) {
    return copy(
        c -> {
          c.maxFailedTokenAttempts = max;
          c.failedTokenAttemptsWindow = window;
        });
  }

  private WebConfig copy(Consumer<Copy> change) {
    Copy copy = new Copy(this);
    change.accept(copy);
    return copy.build();
  }

  /**
   * A mutable working copy of the settings, so that each {@code withX} names only what it changes
   * (as {@code AuditgateConfig} does). Never escapes this class; {@link #build} validates again.
   */
  private static final class Copy {
    private Boolean enabled;
    private String bindHost;
    private Integer port;
    private Boolean allowPlaintext;
    private DataSize maxBodySize;
    private Integer maxConnections;
    private Duration idleTimeout;
    private Integer workerThreads;
    private Path tokensFile;
    private Integer maxFailedTokenAttempts;
    private Duration failedTokenAttemptsWindow;

    private Copy(WebConfig from) {
      enabled = from.enabled;
      bindHost = from.bindHost;
      port = from.port;
      allowPlaintext = from.allowPlaintext;
      maxBodySize = from.maxBodySize;
      maxConnections = from.maxConnections;
      idleTimeout = from.idleTimeout;
      workerThreads = from.workerThreads;
      tokensFile = from.tokensFile;
      maxFailedTokenAttempts = from.maxFailedTokenAttempts;
      failedTokenAttemptsWindow = from.failedTokenAttemptsWindow;
    }

    private WebConfig build() {
      return new WebConfig(
          enabled,
          bindHost,
          port,
          allowPlaintext,
          maxBodySize,
          maxConnections,
          idleTimeout,
          workerThreads,
          tokensFile,
          maxFailedTokenAttempts,
          failedTokenAttemptsWindow);
    }
  }

  private static int intBetween(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }
}

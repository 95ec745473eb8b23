package io.auditgate.app.revocation;

import io.auditgate.core.config.ConfigException;
import io.auditgate.core.config.RevocationConfig;
import io.auditgate.core.config.TlsConfig;
import io.auditgate.ingest.auth.CrlRevocationCheck;
import io.auditgate.ingest.auth.RevocableSessions;
import io.auditgate.ingest.auth.RevocationCheck;
import io.auditgate.ingest.auth.RevokedSessionSweeper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway's revocation enforcement: a {@link CrlRevocationCheck} the listeners' handshakes and
 * the authenticator ask, kept fresh by fetching the CRL every half of {@code
 * certificates.revocation.drop_sessions_within} on a background thread, and a {@link
 * RevokedSessionSweeper} over the listeners' open sessions at the same pace. A revoked
 * certificate's sessions are thus closed within {@code drop_sessions_within} of the CRL being
 * published, and the gateway never needs the database to answer a handshake.
 *
 * <p>A failed fetch keeps the previous CRL (revocations are permanent, so it is incomplete, never
 * wrong) and is counted and logged; the next tick retries.
 *
 * <p>Thread-safety: {@link #check()} is safe from event loops; the rest from any thread.
 */
public final class GatewayRevocation implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GatewayRevocation.class);

  private final Optional<CrlSource> source;
  private final CrlRevocationCheck crl = new CrlRevocationCheck(Optional.empty());
  private final Duration every;
  private final AtomicLong fetches = new AtomicLong();
  private final AtomicLong fetchFailures = new AtomicLong();
  private ScheduledExecutorService timer;
  private RevokedSessionSweeper sweeper;

  private GatewayRevocation(Optional<CrlSource> source, Duration every) {
    this.source = source;
    this.every = every;
  }

  /**
   * From the configuration: the CRL at {@code certificates.revocation.crl_url} (trusting {@code
   * certificates.revocation.crl_trust_file}, else {@code tls.client_ca_bundle}, for https); without
   * a URL, nothing is refused as revoked, which is logged.
   *
   * @param tls the listeners' TLS section, or null
   * @throws ConfigException naming {@code certificates.revocation.crl_trust_file} when https has no
   *     anchors
   */
  public static GatewayRevocation fromConfig(RevocationConfig config, TlsConfig tls) {
    if (config.optionalCrlUrl().isEmpty()) {
      log.warn(
          "certificates.revocation.crl_url is not set: the listeners refuse no certificate as revoked (set it"
              + " to the control plane's /crl/issuing-ca.crl)");
      return new GatewayRevocation(Optional.empty(), config.checkEvery());
    }
    Optional<java.nio.file.Path> anchors =
        config
            .optionalCrlTrustFile()
            .or(() -> Optional.ofNullable(tls).map(TlsConfig::clientCaBundle));
    try {
      return new GatewayRevocation(
          Optional.of(new HttpCrlSource(config.optionalCrlUrl().get(), anchors)),
          config.checkEvery());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("certificates.revocation.crl_trust_file", e.getMessage());
    }
  }

  /** From any source (the store's published CRL on a node that has one, or a test's). */
  public static GatewayRevocation over(CrlSource source, Duration dropSessionsWithin) {
    return new GatewayRevocation(Optional.of(source), dropSessionsWithin.dividedBy(2));
  }

  /** What the listeners ask; {@link RevocationCheck#none()} when no CRL source is configured. */
  public RevocationCheck check() {
    return source.isPresent() ? crl : RevocationCheck.none();
  }

  /**
   * Fetches the CRL at once and then every half of {@code drop_sessions_within}, and sweeps {@code
   * listeners}' open sessions at the same pace. Call once, after the listeners started. The first
   * fetch runs in the background too: a control plane that is down (or is this very node, not yet
   * serving) must not hold up the gateway's start; a revoked device that connects before the first
   * CRL arrives is dropped by the sweep that follows it.
   */
  public synchronized void start(List<RevocableSessions> listeners) {
    if (source.isEmpty() || timer != null) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "crl-refresh");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(this::refresh, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    sweeper = new RevokedSessionSweeper(crl, listeners, every);
  }

  /** Fetches and loads the CRL now; failures are counted and logged, never thrown. */
  public void refresh() {
    if (source.isEmpty()) {
      return;
    }
    try {
      byte[] der = source.get().fetch();
      CrlRevocationCheck.Update update = crl.update(der);
      fetches.incrementAndGet();
      if (update == CrlRevocationCheck.Update.INVALID) {
        fetchFailures.incrementAndGet();
        log.warn("the fetched CRL does not parse or verify; keeping the previous one");
      } else if (update == CrlRevocationCheck.Update.LOADED) {
        log.debug("loaded CRL {}", crl.loaded().orElseThrow());
      }
    } catch (IOException | RuntimeException e) {
      fetchFailures.incrementAndGet();
      log.warn("cannot fetch the CRL ({}); keeping the previous one", e.toString());
    }
  }

  /** The counters and the loaded CRL, for metrics. */
  public Metrics metrics() {
    RevokedSessionSweeper.Metrics swept =
        sweeper == null ? new RevokedSessionSweeper.Metrics(0, Map.of()) : sweeper.metrics();
    return new Metrics(source.isPresent(), fetches.get(), fetchFailures.get(), crl.loaded(), swept);
  }

  @Override
  public synchronized void close() {
    if (sweeper != null) {
      sweeper.close();
    }
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /**
   * @param enabled whether a CRL source is configured
   * @param fetches CRLs fetched (loaded, unchanged or older)
   * @param fetchFailures fetches that failed or brought an invalid CRL
   * @param loaded the CRL in force
   * @param sessions sessions dropped because their certificate was revoked, by listener
   */
  public record Metrics(
      boolean enabled,
      long fetches,
      long fetchFailures,
      Optional<CrlRevocationCheck.Loaded> loaded,
      RevokedSessionSweeper.Metrics sessions) {}
}

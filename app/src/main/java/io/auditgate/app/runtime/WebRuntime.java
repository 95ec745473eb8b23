package io.auditgate.app.runtime;

import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.ConfigException;
import io.auditgate.core.config.TlsConfig;
import io.auditgate.core.ops.HealthCheck;
import io.auditgate.core.ops.MetricsExposition;
import io.auditgate.fleet.Fleet;
import io.auditgate.ingest.tls.ServerTlsContexts;
import io.auditgate.store.StoreOptions;
import io.auditgate.web.WebRoutes;
import io.auditgate.web.WebServer;
import io.auditgate.web.api.FleetApi;
import io.auditgate.web.ops.OpsRoutes;
import io.auditgate.web.tokens.ApiTokens;
import io.netty.handler.ssl.SslContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's web server as a node runs it: the fleet API and dashboard over the node's
 * store, the API tokens in the same database, TLS with the node's {@code tls} certificate and key
 * (no client certificate asked: people and scrapers authenticate with API tokens).
 */
public final class WebRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebRuntime.class);

  private final WebServer server;
  private final ApiTokens tokens;

  private WebRuntime(WebServer server, ApiTokens tokens) {
    this.server = server;
    this.tokens = tokens;
  }

  /**
   * Starts the server, or gives empty (and logs why) when the node has neither a {@code tls}
   * section nor {@code web.allow_plaintext}: a node that stores telemetry must not fail to start
   * because its dashboard cannot be served securely.
   *
   * @param metrics what {@code /metrics} serves
   * @param checks what {@code /readyz} reports
   */
  public static Optional<WebRuntime> start(
      AuditgateConfig config,
      StoreOptions store,
      Clock clock,
      MetricsExposition metrics,
      List<HealthCheck> checks) {
    return start(config, store, clock, metrics, checks, List.of());
  }

  /**
   * As above, with more API routes (the certificate inventory's), served after the fleet API's so
   * that the fleet's literal paths win over templated ones.
   */
  public static Optional<WebRuntime> start(
      AuditgateConfig config,
      StoreOptions store,
      Clock clock,
      MetricsExposition metrics,
      List<HealthCheck> checks,
      List<io.auditgate.web.http.Route> moreRoutes) {
    Optional<SslContext> tls = Optional.empty();
    if (config.tls() != null) {
      try {
        tls =
            Optional.of(
                ServerTlsContexts.build(config.tls().withClientAuth(TlsConfig.ClientAuth.NONE)));
      } catch (ConfigException e) {
        throw e.under("tls");
      }
    } else if (!config.web().allowPlaintext()) {
      log.warn(
          "web server (API, dashboard, /metrics) not started: the node has no tls section; set"
              + " tls.certificate_chain and tls.private_key, or web.allow_plaintext: true");
      return Optional.empty();
    }
    ApiTokens tokens = new ApiTokens(store, clock);
    List<io.auditgate.web.http.Route> routes = new ArrayList<>();
    routes.addAll(
        new FleetApi(Fleet.readModel(store, clock), Fleet.registry(store), clock).routes());
    routes.addAll(moreRoutes);
    routes.addAll(new OpsRoutes(metrics, checks).routes());
    WebServer server = new WebServer(config.web(), tls, WebRoutes.router(routes, tokens));
    try {
      server.start();
    } catch (RuntimeException e) {
      tokens.close();
      throw e;
    }
    return Optional.of(new WebRuntime(server, tokens));
  }

  /** {@code https://host:port}. */
  public String baseUrl() {
    return server.baseUrl();
  }

  public WebServer server() {
    return server;
  }

  @Override
  public void close() {
    server.close();
    tokens.close();
  }
}

package io.auditgate.app.runtime;

import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.controlplane.enrolment.RenewalRequests;
import io.auditgate.controlplane.enrolment.RevocationStatus;
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
import io.auditgate.web.est.EstRoutes;
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
 * (no client certificate asked: people and scrapers authenticate with API tokens), unless {@code
 * enrolment.enabled}: then EST is served too and client certificates are asked for optionally
 * ({@link EnrolmentRuntime#webTls}).
 */
public final class WebRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebRuntime.class);

  private final WebServer server;
  private final ApiTokens tokens;

  private final Optional<RenewalRequests> renewals;

  private WebRuntime(WebServer server, ApiTokens tokens, Optional<RenewalRequests> renewals) {
    this.server = server;
    this.tokens = tokens;
    this.renewals = renewals;
  }

  /** Pending MQTT renewal requests, when EST is served (see {@link RenewalCommands}). */
  public Optional<RenewalRequests> renewalRequests() {
    return renewals;
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
    Optional<SslContext> tls = Optional.empty();
    // EST re-enrolment authenticates devices by their certificate, so enrolment needs TLS.
    Optional<DevCertificateAuthority> enrolmentCa =
        config.enrolment().enabled() && config.tls() != null
            ? Optional.of(EnrolmentRuntime.loadCa(config.enrolment(), clock))
            : Optional.empty();
    if (config.tls() != null) {
      try {
        tls =
            Optional.of(
                ServerTlsContexts.build(
                    enrolmentCa
                        .map(ca -> EnrolmentRuntime.webTls(config.tls(), ca))
                        .orElse(config.tls().withClientAuth(TlsConfig.ClientAuth.NONE))));
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
    routes.addAll(new OpsRoutes(metrics, checks).routes());
    Optional<RenewalRequests> renewals =
        enrolmentCa.map(ca -> new RenewalRequests(RenewalRequests.DEFAULT_WINDOW, clock));
    enrolmentCa.ifPresent(
        ca ->
            routes.addAll(
                new EstRoutes(
                        EnrolmentRuntime.enrolment(
                                ca,
                                config.enrolment(),
                                store,
                                RevocationStatus.NONE_REVOKED,
                                List.of(),
                                clock)
                            .withRenewalRequests(renewals.orElseThrow()))
                    .routes()));
    if (config.enrolment().enabled() && enrolmentCa.isEmpty()) {
      log.warn("enrolment.enabled is set but the node has no tls section: EST is not served");
    }
    WebServer server = new WebServer(config.web(), tls, WebRoutes.router(routes, tokens));
    try {
      server.start();
    } catch (RuntimeException e) {
      tokens.close();
      throw e;
    }
    return Optional.of(new WebRuntime(server, tokens, renewals));
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

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
import io.auditgate.fleet.FleetReadModel;
import io.auditgate.ingest.tls.ServerTlsContexts;
import io.auditgate.store.StoreOptions;
import io.auditgate.web.WebRoutes;
import io.auditgate.web.WebServer;
import io.auditgate.web.api.FleetApi;
import io.auditgate.web.est.EstRoutes;
import io.auditgate.web.ops.OpsRoutes;
import io.auditgate.web.tokens.ApiTokens;
import io.auditgate.web.tokens.FailedTokenAttempts;
import io.auditgate.web.tokens.TokenAuthenticator;
import io.auditgate.web.tokens.TokensFile;
import io.netty.handler.ssl.SslContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's web server as a node runs it: the fleet API and dashboard over the node's
 * store, the API tokens in the same database (and in {@code web.tokens_file} when set), TLS with
 * the node's {@code tls} certificate and key (no client certificate asked: people and scrapers
 * authenticate with API tokens), unless {@code certificates.enrolment.enabled}: then EST is served
 * too and client certificates are asked for optionally ({@link EnrolmentRuntime#webTls}). A node
 * without a store serves only the operations endpoints, with the tokens of {@code web.tokens_file}
 * ({@link #startOpsOnly}).
 */
public final class WebRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebRuntime.class);

  private final WebServer server;
  private final Optional<ApiTokens> tokens;

  private final Optional<RenewalRequests> renewals;

  private WebRuntime(
      WebServer server, Optional<ApiTokens> tokens, Optional<RenewalRequests> renewals) {
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
   * @param reads the fleet read model the API serves (the caller owns and closes it)
   * @param metrics what {@code /metrics} serves
   * @param checks what {@code /readyz} reports
   * @param attempts throttles failed token attempts
   * @param moreRoutes API routes of other components (the certificate inventory's)
   * @throws ConfigException ({@code web.tokens_file}) when the tokens file is set and cannot be
   *     used, naming the line and the reason
   */
  public static Optional<WebRuntime> start(
      AuditgateConfig config,
      StoreOptions store,
      FleetReadModel reads,
      Clock clock,
      MetricsExposition metrics,
      List<HealthCheck> checks,
      FailedTokenAttempts attempts,
      List<io.auditgate.web.http.Route> moreRoutes) {
    return start(
        config, store, reads, clock, metrics, checks, attempts, moreRoutes, Optional.empty());
  }

  /**
   * The same, with EST wired to the certificate control plane: its CA (loaded once), the revocation
   * status re-enrolment checks and the listeners told about each issuance.
   */
  public static Optional<WebRuntime> start(
      AuditgateConfig config,
      StoreOptions store,
      FleetReadModel reads,
      Clock clock,
      MetricsExposition metrics,
      List<HealthCheck> checks,
      FailedTokenAttempts attempts,
      List<io.auditgate.web.http.Route> moreRoutes,
      Optional<CertificateControlPlane.EnrolmentHooks> hooks) {
    // EST re-enrolment authenticates devices by their certificate, so enrolment needs TLS.
    Optional<DevCertificateAuthority> enrolmentCa =
        config.certificates().enrolment().enabled() && config.tls() != null
            ? Optional.of(
                hooks
                    .map(CertificateControlPlane.EnrolmentHooks::ca)
                    .orElseGet(
                        () -> EnrolmentRuntime.loadCa(config.certificates().enrolment(), clock)))
            : Optional.empty();
    if (config.certificates().enrolment().enabled() && enrolmentCa.isEmpty()) {
      log.warn(
          "certificates.enrolment.enabled is set but the node has no tls section: EST is not served");
    }
    Optional<SslContext> tls = tls(config, enrolmentCa);
    if (tls.isEmpty() && !config.web().allowPlaintext()) {
      return Optional.empty();
    }
    Optional<TokensFile> file = tokensFile(config);
    ApiTokens tokens = new ApiTokens(store, clock);
    TokenAuthenticator authenticator =
        file.map(f -> TokenAuthenticator.either(f, tokens)).orElse(tokens);
    List<io.auditgate.web.http.Route> routes = new ArrayList<>();
    routes.addAll(new FleetApi(reads, Fleet.registry(store), clock).routes());
    // after the fleet API's, so that the fleet's literal paths win over templated ones
    routes.addAll(moreRoutes);
    routes.addAll(new OpsRoutes(metrics, checks).routes());
    Optional<RenewalRequests> renewals =
        enrolmentCa.map(ca -> new RenewalRequests(RenewalRequests.DEFAULT_WINDOW, clock));
    enrolmentCa.ifPresent(
        ca ->
            routes.addAll(
                new EstRoutes(
                        EnrolmentRuntime.enrolment(
                                ca,
                                config.certificates().enrolment(),
                                EnrolmentRuntime.revocationPointers(
                                    config.certificates().revocation()),
                                store,
                                hooks
                                    .map(CertificateControlPlane.EnrolmentHooks::revocation)
                                    .orElse(RevocationStatus.NONE_REVOKED),
                                hooks
                                    .map(CertificateControlPlane.EnrolmentHooks::listeners)
                                    .orElse(List.of()),
                                clock)
                            .withRenewalRequests(renewals.orElseThrow()))
                    .routes()));
    WebServer server =
        new WebServer(config.web(), tls, WebRoutes.router(routes, authenticator, attempts));
    try {
      server.start();
    } catch (RuntimeException e) {
      tokens.close();
      throw e;
    }
    return Optional.of(new WebRuntime(server, Optional.of(tokens), renewals));
  }

  /**
   * Starts the operations endpoints ({@code /metrics}, {@code /healthz}, {@code /readyz}) of a node
   * without a store, authenticating with the tokens of {@code web.tokens_file}; the API and the
   * dashboard answer 404 {@code no_store_on_this_node}. Empty (and logged) without {@code
   * web.tokens_file} — that setting is the opt-in, so a gateway next to a store node on one host
   * does not take the web port by default — or without TLS and {@code web.allow_plaintext}.
   *
   * @throws ConfigException ({@code web.tokens_file}) when the file cannot be used, naming the line
   *     and the reason
   */
  public static Optional<WebRuntime> startOpsOnly(
      AuditgateConfig config,
      MetricsExposition metrics,
      List<HealthCheck> checks,
      FailedTokenAttempts attempts) {
    if (config.web().optionalTokensFile().isEmpty()) {
      log.info(
          "no web server (/metrics, /healthz, /readyz) on this node: it has no store, and"
              + " web.tokens_file is not set");
      return Optional.empty();
    }
    Optional<SslContext> tls = tls(config, Optional.empty());
    if (tls.isEmpty() && !config.web().allowPlaintext()) {
      return Optional.empty();
    }
    TokensFile file = tokensFile(config).orElseThrow();
    if (file.size() == 0) {
      log.warn(
          "{} holds no token: /metrics will answer 401 to everyone; add one with auditgate tokens"
              + " create --file {} --name NAME --scope metrics",
          config.web().tokensFile(),
          config.web().tokensFile());
    }
    WebServer server =
        new WebServer(
            config.web(),
            tls,
            WebRoutes.opsOnlyRouter(new OpsRoutes(metrics, checks).routes(), file, attempts));
    server.start();
    log.info(
        "operations endpoints only (no store on this node), {} token(s) from {}",
        file.size(),
        config.web().tokensFile());
    return Optional.of(new WebRuntime(server, Optional.empty(), Optional.empty()));
  }

  /** The tokens of {@code web.tokens_file}, when set. */
  static Optional<TokensFile> tokensFile(AuditgateConfig config) {
    if (config.web().optionalTokensFile().isEmpty()) {
      return Optional.empty();
    }
    TokensFile.Parsed parsed = TokensFile.read(config.web().tokensFile());
    if (parsed instanceof TokensFile.Invalid invalid) {
      throw new ConfigException(
          "web.tokens_file", config.web().tokensFile() + ": " + invalid.describe());
    }
    return Optional.of(((TokensFile.Loaded) parsed).tokens());
  }

  /**
   * The server's TLS context, asking for client certificates (optionally) when {@code enrolmentCa}
   * serves EST; empty (and logged) when the node has no tls section.
   */
  private static Optional<SslContext> tls(
      AuditgateConfig config, Optional<DevCertificateAuthority> enrolmentCa) {
    Optional<SslContext> tls = Optional.empty();
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
    }
    return tls;
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
    tokens.ifPresent(ApiTokens::close);
  }
}

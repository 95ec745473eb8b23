package io.auditgate.web.api;

import io.auditgate.controlplane.inventory.BindOutcome;
import io.auditgate.controlplane.inventory.BindingKind;
import io.auditgate.controlplane.inventory.CertificateInventory;
import io.auditgate.controlplane.inventory.CertificateQuery;
import io.auditgate.controlplane.inventory.CertificateSort;
import io.auditgate.controlplane.inventory.CertificateStatus;
import io.auditgate.controlplane.inventory.CertificateSummary;
import io.auditgate.controlplane.inventory.PostureCondition;
import io.auditgate.controlplane.inventory.PostureSummary;
import io.auditgate.controlplane.inventory.RenewalOutcome;
import io.auditgate.controlplane.inventory.RenewalState;
import io.auditgate.controlplane.inventory.SourceKind;
import io.auditgate.controlplane.inventory.discovery.ScanResult;
import io.auditgate.controlplane.inventory.discovery.TlsEndpoint;
import io.auditgate.controlplane.inventory.discovery.TlsEndpointScanner;
import io.auditgate.web.http.ApiProblem;
import io.auditgate.web.http.QueryParameters;
import io.auditgate.web.http.Request;
import io.auditgate.web.http.Response;
import io.auditgate.web.http.Route;
import io.auditgate.web.tokens.Scope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The certificate inventory's API under {@code /api/v1/certificates}. Scope {@code read}: list with
 * filters (a posture rule among them, so that every count of the summary can be listed), sort and
 * pages; the posture summary; the expiring-soon list; the certificates that need attention; one
 * certificate's detail. Scope {@code write}: bind and unbind (a device binding is exclusive: 409
 * {@code bound_elsewhere}), move the renewal workflow (409 {@code renewal_refused} for a move its
 * rules forbid), scan an endpoint on demand. Documented in {@code openapi.json} and
 * docs/certificates-inventory.md.
 *
 * <p>Thread-safety: immutable; the inventory is thread-safe. Handlers block on the database.
 */
public final class CertificatesApi {
  private static final String PREFIX = "/api/v1/certificates";
  private static final Set<Scope> READ = Set.of(Scope.READ);

  /** Most urgent first: what attention-needed lists and in which order. */
  private static final List<CertificateStatus> ATTENTION =
      List.of(
          CertificateStatus.REVOKED,
          CertificateStatus.UNTRUSTED,
          CertificateStatus.EXPIRED,
          CertificateStatus.EXPIRING_SOON);

  private static final Set<Scope> WRITE = Set.of(Scope.WRITE);

  private final CertificateInventory inventory;
  private final Optional<TlsEndpointScanner> scanner;

  /** Reads only, and bindings and renewal; no scans. */
  public CertificatesApi(CertificateInventory inventory) {
    this(inventory, Optional.empty());
  }

  /** With {@code scanner}, {@code POST /api/v1/certificates/scan} scans on demand. */
  public CertificatesApi(CertificateInventory inventory, Optional<TlsEndpointScanner> scanner) {
    this.inventory = Objects.requireNonNull(inventory, "inventory");
    this.scanner = Objects.requireNonNull(scanner, "scanner");
  }

  /** Every route; the literal paths before the templated ones. */
  public List<Route> routes() {
    return List.of(
        Route.get(PREFIX, READ, this::list),
        Route.get(PREFIX + "/summary", READ, this::summary),
        Route.get(PREFIX + "/expiring", READ, this::expiring),
        Route.get(PREFIX + "/attention", READ, this::attention),
        Route.post(PREFIX + "/scan", WRITE, this::scan),
        Route.get(PREFIX + "/{sha256}", READ, this::detail),
        Route.put(PREFIX + "/{sha256}/bindings/{kind}/{target}", WRITE, this::bind),
        new Route(
            "DELETE", PREFIX + "/{sha256}/bindings/{kind}/{target}", WRITE, true, this::unbind),
        Route.post(PREFIX + "/{sha256}/renewal", WRITE, this::renewal));
  }

  /** {@code {"endpoint":"host:port"}}. */
  record ScanBody(String endpoint) {}

  /** {@code {"state":"blocked","reason":"...","replacement_sha256":"..."}}. */
  record RenewalBody(String state, String reason, String replacementSha256) {}

  private Response scan(Request r) {
    TlsEndpointScanner s =
        scanner.orElseThrow(
            () ->
                new ApiProblem(503, "scanner_unavailable", "this server does not scan endpoints"));
    ScanBody body = ApiRequests.json(r, ScanBody.class);
    TlsEndpoint endpoint =
        TlsEndpoint.parse(body.endpoint())
            .orElseThrow(
                () ->
                    ApiProblem.badParameter(
                        "endpoint",
                        "must be host:port or [v6]:port, got '" + body.endpoint() + "'"));
    ScanResult result = s.scan(endpoint);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("endpoint", endpoint.toString());
    out.put("at", result.at());
    if (result instanceof ScanResult.Scanned scanned) {
      out.put("outcome", "scanned");
      out.put("protocol", scanned.protocol());
      out.put("cipher_suite", scanned.cipherSuite());
      out.put("chain_sha256", scanned.chainSha256());
      out.put("leaf_not_after", scanned.leafNotAfter());
    } else if (result instanceof ScanResult.Failed failed) {
      out.put("outcome", failed.reason().code());
      out.put("message", failed.message());
    }
    return Response.ok(out);
  }

  private Response bind(Request r) {
    String sha256 = ApiRequests.sha256(r);
    BindingKind kind = kind(r);
    String target = r.pathParameter("target");
    BindOutcome outcome = bounded(() -> inventory.bind(sha256, kind, target));
    if (outcome instanceof BindOutcome.Bound bound) {
      return Response.ok(bound.binding());
    }
    if (outcome instanceof BindOutcome.UnknownDevice unknown) {
      throw ApiProblem.notFound("device", unknown.deviceId());
    }
    if (outcome instanceof BindOutcome.BoundElsewhere elsewhere) {
      throw new ApiProblem(
          409,
          "bound_elsewhere",
          "the certificate is already bound to device '" + elsewhere.otherDeviceId() + "'",
          Map.of("device_id", elsewhere.otherDeviceId()));
    }
    throw ApiProblem.notFound("certificate", sha256);
  }

  private Response unbind(Request r) {
    String sha256 = ApiRequests.sha256(r);
    BindingKind kind = kind(r);
    String target = r.pathParameter("target");
    if (!inventory.unbind(sha256, kind, target)) {
      throw new ApiProblem(
          404,
          "binding_not_found",
          "the certificate is not bound to " + kind.label() + " '" + target + "'");
    }
    return Response.ok(Map.of("removed", true));
  }

  private Response renewal(Request r) {
    String sha256 = ApiRequests.sha256(r);
    RenewalBody body = ApiRequests.json(r, RenewalBody.class);
    RenewalState to =
        RenewalState.ofLabel(body.state() == null ? "" : body.state())
            .orElseThrow(
                () ->
                    ApiProblem.badParameter(
                        "state", "must be one of " + labels(RenewalState.values())));
    String actor = r.token().map(t -> "token:" + t.name()).orElse("api");
    RenewalOutcome outcome =
        bounded(
            () ->
                inventory.renewal(
                    sha256,
                    to,
                    Optional.ofNullable(body.reason()),
                    Optional.ofNullable(body.replacementSha256()),
                    actor));
    if (outcome instanceof RenewalOutcome.Changed changed) {
      return Response.ok(changed.change());
    }
    if (outcome instanceof RenewalOutcome.Refused refused) {
      throw new ApiProblem(
          409,
          "renewal_refused",
          refused.message(),
          Map.of("from", refused.from().label(), "to", refused.to().label()));
    }
    throw ApiProblem.notFound("certificate", sha256);
  }

  private static BindingKind kind(Request r) {
    String label = r.pathParameter("kind");
    return BindingKind.ofLabel(label)
        .orElseThrow(
            () ->
                ApiProblem.badParameter("kind", "must be one of " + labels(BindingKind.values())));
  }

  private Response list(Request r) {
    QueryParameters p = r.parameters();
    CertificateQuery q =
        CertificateQuery.all()
            .page(
                p.integer("offset", 0, 1_000_000).orElse(0),
                p.integer("limit", 1, 1000).orElse(100));
    Optional<String> status = p.string("status");
    if (status.isPresent()) {
      q = q.withStatus(status(status.get()));
    }
    var within = p.integer("expiring_within_days", 1, 3650);
    if (within.isPresent()) {
      q = q.withExpiringWithinDays(within.getAsInt());
    }
    Optional<String> device = p.string("device");
    if (device.isPresent()) {
      q = q.withDevice(device.get());
    }
    Optional<String> issuer = p.string("issuer");
    if (issuer.isPresent()) {
      q = q.withIssuer(issuer.get());
    }
    Optional<String> keyType = p.string("key_type");
    if (keyType.isPresent()) {
      q = q.withKeyType(keyType.get());
    }
    Optional<String> source = p.string("source");
    if (source.isPresent()) {
      q =
          q.withSource(
              SourceKind.ofLabel(source.get())
                  .orElseThrow(
                      () ->
                          ApiProblem.badParameter(
                              "source", "must be one of " + labels(SourceKind.values()))));
    }
    Optional<String> condition = p.string("condition");
    if (condition.isPresent()) {
      q =
          q.withCondition(
              PostureCondition.ofLabel(condition.get())
                  .orElseThrow(
                      () ->
                          ApiProblem.badParameter(
                              "condition", "must be one of " + labels(PostureCondition.values()))));
    }
    CertificateSort sort =
        p.string("sort")
            .map(
                s ->
                    CertificateSort.ofLabel(s)
                        .orElseThrow(
                            () ->
                                ApiProblem.badParameter(
                                    "sort", "must be one of " + labels(CertificateSort.values()))))
            .orElse(CertificateSort.NOT_AFTER);
    String order = p.string("order").orElse("asc");
    if (!order.equals("asc") && !order.equals("desc")) {
      throw ApiProblem.badParameter("order", "must be asc or desc, got '" + order + "'");
    }
    CertificateQuery query = q.sortedBy(sort, order.equals("desc"));
    return Response.ok(bounded(() -> inventory.list(query)));
  }

  private Response summary(Request r) {
    PostureSummary s = inventory.posture();
    Map<String, Object> byStatus = new LinkedHashMap<>();
    s.byStatus().forEach((k, v) -> byStatus.put(k.label(), v));
    Map<String, Object> windows = new LinkedHashMap<>();
    s.expiringWithin().forEach((k, v) -> windows.put(Integer.toString(k), v));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("evaluated_at", s.evaluatedAt());
    body.put("total", s.total());
    body.put("by_status", byStatus);
    body.put("expiring_within_days", windows);
    body.put("unbound", s.unbound());
    body.put("shared", s.shared());
    body.put("revoked_still_connecting", s.revokedStillConnecting());
    body.put("weak_keys", s.weakKeys());
    body.put("sha1_signatures", s.sha1Signatures());
    body.put("untrusted", s.untrusted());
    body.put("older_than_max_age", s.olderThanMaxAge());
    return Response.ok(body);
  }

  private Response expiring(Request r) {
    int days = r.parameters().integer("days", 1, 3650).orElse(30);
    int limit = r.parameters().integer("limit", 1, 1000).orElse(100);
    return Response.ok(Map.of("days", days, "items", inventory.expiring(days, limit)));
  }

  private Response attention(Request r) {
    int limit = r.parameters().integer("limit", 1, 1000).orElse(100);
    List<CertificateSummary> items = new ArrayList<>();
    for (CertificateStatus status : ATTENTION) {
      if (items.size() >= limit) {
        break;
      }
      items.addAll(
          inventory
              .list(CertificateQuery.all().withStatus(status).page(0, limit - items.size()))
              .items());
    }
    items.sort(
        Comparator.comparing((CertificateSummary c) -> ATTENTION.indexOf(c.status()))
            .thenComparing(CertificateSummary::notAfter));
    return Response.ok(Map.of("items", items));
  }

  private Response detail(Request r) {
    String sha256 = ApiRequests.sha256(r);
    return Response.ok(
        inventory.detail(sha256).orElseThrow(() -> ApiProblem.notFound("certificate", sha256)));
  }

  private static CertificateStatus status(String label) {
    return CertificateStatus.ofLabel(label)
        .orElseThrow(
            () ->
                ApiProblem.badParameter(
                    "status", "must be one of " + labels(CertificateStatus.values())));
  }

  private static String labels(Enum<?>[] values) {
    return String.join(
        ", ", Arrays.stream(values).map(v -> v.name().toLowerCase(java.util.Locale.ROOT)).toList());
  }

  private static <T> T bounded(Supplier<T> read) {
    try {
      return read.get();
    } catch (IllegalArgumentException e) {
      throw new ApiProblem(400, "bad_request", e.getMessage(), Map.of("parameter", "request"));
    }
  }
}

package io.auditgate.web.api;

import io.auditgate.controlplane.alerts.AcknowledgeOutcome;
import io.auditgate.controlplane.alerts.AlertRule;
import io.auditgate.controlplane.alerts.AlertState;
import io.auditgate.controlplane.alerts.CertificateAlert;
import io.auditgate.controlplane.alerts.CertificateAlerts;
import io.auditgate.controlplane.inventory.discovery.CertificateUpload;
import io.auditgate.controlplane.revocation.RevocationRecord;
import io.auditgate.controlplane.revocation.RevocationTarget;
import io.auditgate.controlplane.revocation.Revocations;
import io.auditgate.controlplane.revocation.RevokeOutcome;
import io.auditgate.controlplane.revocation.RevokeRequest;
import io.auditgate.web.http.ApiProblem;
import io.auditgate.web.http.QueryParameters;
import io.auditgate.web.http.Request;
import io.auditgate.web.http.Response;
import io.auditgate.web.http.Route;
import io.auditgate.web.tokens.Scope;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The certificate control plane's actions under {@code /api/v1/certificates}: revoke (scope {@code
 * admin}), the alerts and their acknowledgement (read / {@code write}) and import of PEM or DER
 * over HTTP ({@code write}). A certificate's timeline ({@code GET …/{sha256}/events}) is the
 * dashboard's {@code CertificateEventsApi}. Documented in {@code openapi.json} and
 * docs/certificates-wiring.md. Its routes must come before {@link CertificatesApi}'s, whose {@code
 * /{sha256}} would otherwise take {@code /alerts}.
 *
 * <p>Thread-safety: immutable; the services are thread-safe. Handlers block on the database.
 */
public final class CertificateOperationsApi {
  private static final String PREFIX = "/api/v1/certificates";
  private static final Set<Scope> READ = Set.of(Scope.READ);
  private static final Set<Scope> WRITE = Set.of(Scope.WRITE);
  private static final Set<Scope> ADMIN = Set.of(Scope.ADMIN);
  private static final Set<String> IMPORT_TYPES =
      Set.of(
          "application/x-pem-file",
          "application/pem-certificate-chain",
          "application/pkix-cert",
          "application/octet-stream");

  private final Optional<Revocations> revocations;
  private final CertificateAlerts alerts;
  private final CertificateUpload upload;

  /**
   * @param revocations empty when the node runs no CA: revoke answers 503 {@code
   *     revocation_unavailable}
   */
  public CertificateOperationsApi(
      Optional<Revocations> revocations, CertificateAlerts alerts, CertificateUpload upload) {
    this.revocations = Objects.requireNonNull(revocations, "revocations");
    this.alerts = Objects.requireNonNull(alerts, "alerts");
    this.upload = Objects.requireNonNull(upload, "upload");
  }

  public List<Route> routes() {
    return List.of(
        Route.get(PREFIX + "/alerts", READ, this::listAlerts),
        Route.post(PREFIX + "/alerts/{id}/acknowledge", WRITE, this::acknowledge),
        Route.post(PREFIX + "/import", WRITE, this::importBody),
        Route.post(PREFIX + "/{sha256}/revoke", ADMIN, this::revoke));
  }

  /** {@code {"reason":"keyCompromise","comment":"..."}}. */
  record RevokeBody(String reason, String comment) {}

  /** {@code {"note":"..."}}. */
  record AcknowledgeBody(String note) {}

  private Response revoke(Request r) {
    String sha256 = ApiRequests.sha256(r);
    Revocations service =
        revocations.orElseThrow(
            () ->
                new ApiProblem(
                    503,
                    "revocation_unavailable",
                    "this node runs no certificate authority (certificates.enrolment.enabled is false)"));
    RevokeBody body = ApiRequests.json(r, RevokeBody.class);
    String reason = body.reason() == null ? "unspecified" : body.reason();
    if (body.comment() != null && body.comment().length() > 2000) {
      throw ApiProblem.badParameter("comment", "must be at most 2000 characters");
    }
    RevokeOutcome outcome =
        service.revoke(
            new RevokeRequest(
                new RevocationTarget.Sha256(sha256),
                reason,
                actor(r),
                Optional.ofNullable(body.comment())));
    if (outcome instanceof RevokeOutcome.Revoked revoked) {
      Map<String, Object> out = revocation("revoked", revoked.record());
      out.put("crl_number", revoked.crl().number().toString());
      return Response.ok(out);
    }
    if (outcome instanceof RevokeOutcome.AlreadyRevoked already) {
      return Response.ok(revocation("already_revoked", already.existing()));
    }
    if (outcome instanceof RevokeOutcome.UnknownCertificate) {
      throw ApiProblem.notFound("certificate", sha256);
    }
    if (outcome instanceof RevokeOutcome.NotIssuedHere other) {
      throw new ApiProblem(
          409,
          "not_issued_here",
          "the certificate was issued by '"
              + other.issuer()
              + "', not by this control plane's issuing CA; its CRL cannot list it",
          Map.of("issuer", other.issuer(), "expected_issuer", other.expectedIssuer()));
    }
    RevokeOutcome.InvalidReason invalid = (RevokeOutcome.InvalidReason) outcome;
    throw ApiProblem.badParameter(
        "reason", "'" + invalid.given() + "' is not one of " + invalid.allowed());
  }

  private static Map<String, Object> revocation(String outcome, RevocationRecord record) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("outcome", outcome);
    record.certificateSha256().ifPresent(s -> out.put("sha256", s));
    out.put("serial", record.serialHex());
    out.put("issuer", record.issuer());
    out.put("reason", record.reason());
    out.put("revoked_at", record.revokedAt());
    out.put("revoked_by", record.revokedBy());
    record.comment().ifPresent(c -> out.put("comment", c));
    return out;
  }

  private Response listAlerts(Request r) {
    QueryParameters p = r.parameters();
    Optional<AlertState> state =
        p.string("state")
            .map(
                s ->
                    Arrays.stream(AlertState.values())
                        .filter(v -> v.wireName().equals(s))
                        .findFirst()
                        .orElseThrow(
                            () ->
                                ApiProblem.badParameter(
                                    "state", "must be raised, acknowledged or resolved")));
    Optional<AlertRule> rule =
        p.string("rule")
            .map(
                s ->
                    AlertRule.fromWireName(s)
                        .orElseThrow(
                            () ->
                                ApiProblem.badParameter(
                                    "rule",
                                    "must be one of "
                                        + String.join(
                                            ", ",
                                            Arrays.stream(AlertRule.values())
                                                .map(AlertRule::wireName)
                                                .toList()))));
    Optional<String> sha256 = p.string("sha256").map(ApiRequests::sha256);
    int limit = p.integer("limit", 1, 1000).orElse(100);
    List<Map<String, Object>> items =
        alerts.list(new CertificateAlerts.Query(state, rule, sha256, limit)).stream()
            .map(CertificateOperationsApi::alert)
            .toList();
    return Response.ok(Map.of("items", items));
  }

  private Response acknowledge(Request r) {
    long id;
    try {
      id = Long.parseLong(r.pathParameter("id"));
    } catch (NumberFormatException e) {
      throw ApiProblem.badParameter("id", "must be an alert id (a number)");
    }
    AcknowledgeBody body =
        r.body().length == 0
            ? new AcknowledgeBody(null)
            : ApiRequests.json(r, AcknowledgeBody.class);
    String note = body.note() == null ? "" : body.note();
    if (note.length() > 2000) {
      throw ApiProblem.badParameter("note", "must be at most 2000 characters");
    }
    AcknowledgeOutcome outcome = alerts.acknowledge(id, actor(r), note);
    if (outcome instanceof AcknowledgeOutcome.Acknowledged a) {
      return Response.ok(Map.of("outcome", "acknowledged", "alert", alert(a.alert())));
    }
    if (outcome instanceof AcknowledgeOutcome.AlreadyAcknowledged a) {
      return Response.ok(Map.of("outcome", "already_acknowledged", "alert", alert(a.alert())));
    }
    if (outcome instanceof AcknowledgeOutcome.AlreadyResolved a) {
      throw new ApiProblem(
          409,
          "alert_resolved",
          "the alert's condition has gone; there is nothing to acknowledge",
          Map.of("alert_id", a.alert().id()));
    }
    throw ApiProblem.notFound("alert", Long.toString(id));
  }

  private Response importBody(Request r) {
    String type = r.contentType().toLowerCase(Locale.ROOT);
    if (!IMPORT_TYPES.contains(type)) {
      throw new ApiProblem(
          415,
          "unsupported_media_type",
          "the body must be PEM or DER certificates ("
              + String.join(", ", IMPORT_TYPES.stream().sorted().toList())
              + "), got '"
              + r.contentType()
              + "'");
    }
    CertificateUpload.Outcome outcome = upload.upload(r.body(), actor(r));
    if (outcome instanceof CertificateUpload.Outcome.Imported imported) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("format", imported.format());
      out.put("sha256s", imported.sha256s());
      out.put("added", imported.added());
      return Response.ok(out);
    }
    CertificateUpload.Outcome.Refused refused = (CertificateUpload.Outcome.Refused) outcome;
    throw new ApiProblem(400, refused.reason(), refused.message());
  }

  private static Map<String, Object> alert(CertificateAlert a) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", a.id());
    out.put("key", a.key());
    out.put("rule", a.rule().wireName());
    out.put("severity", a.severity().wireName());
    out.put("sha256", a.sha256());
    out.put("subject", a.subject());
    out.put("summary", a.summary());
    out.put("details", a.details());
    out.put("state", a.state().wireName());
    out.put("raised_at", a.raisedAt());
    a.acknowledgedAt().ifPresent(t -> out.put("acknowledged_at", t));
    a.acknowledgedBy().ifPresent(b -> out.put("acknowledged_by", b));
    a.resolvedAt().ifPresent(t -> out.put("resolved_at", t));
    return out;
  }

  /** Who acts: the token's name, as revocations and acknowledgements record it. */
  private static String actor(Request r) {
    return r.token().map(t -> t.name()).orElse("api");
  }
}

package io.auditgate.web.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import io.auditgate.controlplane.replacement.ReplacementWorkflow;
import io.auditgate.controlplane.replacement.StartOutcome;
import io.auditgate.web.http.ApiProblem;
import io.auditgate.web.http.Json;
import io.auditgate.web.http.Request;
import io.auditgate.web.http.Response;
import io.auditgate.web.http.Route;
import io.auditgate.web.tokens.Scope;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /api/v1/certificates/{sha256}/replace} (scope {@code write} or {@code admin}): starts
 * replacing a device certificate — the device is asked to re-enrol, and the workflow completes it
 * once the device connects with the new certificate. 202 with {@code outcome} {@code started} or
 * {@code already_in_progress} and whether the request reached the device; 404 for an unknown
 * certificate; 409 {@code not_replaceable} with the reason. The history is {@code GET
 * /api/v1/certificates/{sha256}} (renewal and renewal history). Documented in {@code openapi.json}
 * and docs/certificates-replacement.md.
 *
 * <p>Thread-safety: immutable; the workflow is thread-safe. The handler blocks on the store and on
 * the device's acknowledgement (bounded).
 */
public final class ReplacementApi {
  private static final Pattern REASON = Pattern.compile("^[a-z0-9_.-]{1,64}$");

  private final ReplacementWorkflow workflow;

  public ReplacementApi(ReplacementWorkflow workflow) {
    this.workflow = Objects.requireNonNull(workflow, "workflow");
  }

  public List<Route> routes() {
    return List.of(
        Route.post(
            "/api/v1/certificates/{sha256}/replace",
            Set.of(Scope.WRITE, Scope.ADMIN),
            this::replace));
  }

  /** The optional body: {@code {"reason": "key_rotation"}}. */
  record ReplaceBody(String reason) {}

  private Response replace(Request r) {
    String sha256 = ApiRequests.sha256(r);
    String reason = reason(r);
    String actor = r.token().map(t -> "token:" + t.name()).orElse("api");
    StartOutcome outcome = workflow.start(sha256, actor, reason);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("sha256", sha256);
    if (outcome instanceof StartOutcome.Started s) {
      body.put("outcome", "started");
      body.put("device_id", s.deviceId());
      body.put("request", s.request().label());
      return Response.json(202, body);
    }
    if (outcome instanceof StartOutcome.AlreadyInProgress s) {
      body.put("outcome", "already_in_progress");
      body.put("device_id", s.deviceId());
      body.put("request", s.request().label());
      return Response.json(202, body);
    }
    if (outcome instanceof StartOutcome.NotReplaceable n) {
      throw new ApiProblem(
          409,
          "not_replaceable",
          "the certificate cannot be replaced: " + n.reason(),
          Map.of("reason", n.reason()));
    }
    throw ApiProblem.notFound("certificate", sha256);
  }

  private static String reason(Request r) {
    if (r.body().length == 0) {
      return "replace";
    }
    if (!r.contentType().equals("application/json")) {
      throw new ApiProblem(
          415,
          "unsupported_media_type",
          "the body must be application/json, got '" + r.contentType() + "'");
    }
    ReplaceBody body;
    try {
      body =
          Json.MAPPER
              .readerFor(ReplaceBody.class)
              .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
              .readValue(r.body());
    } catch (IOException e) {
      throw new ApiProblem(400, "bad_request", "the body must be {\"reason\": \"...\"}");
    }
    if (body == null || body.reason() == null) {
      return "replace";
    }
    if (!REASON.matcher(body.reason()).matches()) {
      throw ApiProblem.badParameter("reason", "must be 1-64 of a-z 0-9 _ . -");
    }
    return body.reason();
  }
}

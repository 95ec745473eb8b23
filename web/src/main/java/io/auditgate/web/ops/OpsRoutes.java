package io.auditgate.web.ops;

import io.auditgate.core.ops.CheckResult;
import io.auditgate.core.ops.HealthCheck;
import io.auditgate.core.ops.MetricsExposition;
import io.auditgate.web.http.Request;
import io.auditgate.web.http.Response;
import io.auditgate.web.http.Route;
import io.auditgate.web.tokens.Scope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code /healthz} (liveness: the process answers; always 200, no token), {@code /readyz} (every
 * {@link HealthCheck} by name; 200 when all pass, 503 otherwise; no token, so orchestrators can
 * probe it) and {@code /metrics} (the {@link MetricsExposition}; a token with {@code metrics} or
 * {@code read}).
 *
 * <p>Thread-safety: immutable; the checks and the exposition are thread-safe by contract.
 */
public final class OpsRoutes {
  private final MetricsExposition metrics;
  private final List<HealthCheck> checks;

  public OpsRoutes(MetricsExposition metrics, List<HealthCheck> checks) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.checks = List.copyOf(checks);
  }

  public List<Route> routes() {
    return List.of(
        Route.get("/healthz", Set.of(), r -> Response.ok(Map.of("status", "alive"))),
        Route.get("/readyz", Set.of(), this::readiness),
        Route.get("/metrics", Set.of(Scope.METRICS, Scope.READ), this::metrics));
  }

  private Response readiness(Request request) {
    Map<String, Object> byName = new LinkedHashMap<>();
    boolean ready = true;
    for (HealthCheck check : checks) {
      CheckResult result;
      try {
        result = check.check();
      } catch (RuntimeException e) {
        // The contract counts an exception as a failure; say what it was.
        result = CheckResult.failed("the check failed: " + e);
      }
      ready &= result.ok();
      byName.put(check.name(), Map.of("ok", result.ok(), "detail", result.detail()));
    }
    return Response.json(
        ready ? 200 : 503, Map.of("status", ready ? "ready" : "not_ready", "checks", byName));
  }

  private Response metrics(Request request) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16_384);
    try {
      metrics.writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the metrics exposition", e);
    }
    return new Response.Bytes(200, metrics.contentType(), out.toByteArray(), Map.of());
  }
}

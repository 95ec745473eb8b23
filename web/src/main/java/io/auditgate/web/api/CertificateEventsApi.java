package io.auditgate.web.api;

import io.auditgate.controlplane.CertificateEventLog;
import io.auditgate.controlplane.inventory.CertificateDetail;
import io.auditgate.controlplane.inventory.CertificateInventory;
import io.auditgate.web.http.ApiProblem;
import io.auditgate.web.http.Request;
import io.auditgate.web.http.Response;
import io.auditgate.web.http.Route;
import io.auditgate.web.tokens.Scope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /api/v1/certificates/{sha256}/events} (scope {@code read}): a certificate's timeline,
 * the event log merged with its validity, sightings, renewal transitions and revocation (see {@link
 * CertificateTimeline}), oldest first. {@code limit} (1..1000, default 200) bounds the event-log
 * entries read; {@code origin} keeps one origin's entries ({@code event_log} alone is the raw log);
 * 404 {@code certificate_not_found} for a certificate the inventory does not know.
 *
 * <p>Thread-safety: immutable; the inventory and the log are thread-safe. Blocks on the database.
 */
public final class CertificateEventsApi {
  private static final List<String> ORIGINS =
      List.of("event_log", "certificate", "sighting", "renewal", "revocation");

  private final CertificateInventory inventory;
  private final CertificateEventLog log;

  public CertificateEventsApi(CertificateInventory inventory, CertificateEventLog log) {
    this.inventory = Objects.requireNonNull(inventory, "inventory");
    this.log = Objects.requireNonNull(log, "log");
  }

  /** The one route. */
  public List<Route> routes() {
    return List.of(
        Route.get("/api/v1/certificates/{sha256}/events", Set.of(Scope.READ), this::events));
  }

  private Response events(Request r) {
    String sha256 = ApiRequests.sha256(r);
    int limit = r.parameters().integer("limit", 1, 1000).orElse(200);
    Optional<String> origin = r.parameters().string("origin");
    if (origin.isPresent() && !ORIGINS.contains(origin.get())) {
      throw ApiProblem.badParameter("origin", "must be one of " + String.join(", ", ORIGINS));
    }
    CertificateDetail detail =
        inventory.detail(sha256).orElseThrow(() -> ApiProblem.notFound("certificate", sha256));
    var events = log.timeline(sha256, limit + 1);
    boolean truncated = events.size() > limit;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("sha256", sha256);
    body.put("truncated", truncated);
    body.put(
        "items",
        CertificateTimeline.merge(detail, truncated ? events.subList(0, limit) : events).stream()
            .filter(e -> origin.isEmpty() || e.origin().equals(origin.get()))
            .toList());
    return Response.ok(body);
  }
}

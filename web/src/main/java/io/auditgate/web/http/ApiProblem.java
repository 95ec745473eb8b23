package io.auditgate.web.http;

import java.util.Map;
import java.util.Objects;

/**
 * A request that cannot be answered as asked, with the HTTP status and the stable error code the
 * client sees. The module's one unchecked root: handlers throw it, {@link ErrorResponses} (the one
 * place that maps errors to HTTP) turns it into {@code {"error":{"code":...,"message":...}}}.
 *
 * <p>Codes: {@code bad_request} (400, names the parameter), {@code unauthenticated} (401), {@code
 * forbidden} (403), {@code not_found} (404, unknown route) and {@code device_not_found}/{@code
 * gateway_not_found}/{@code profile_not_found} (404, unknown resource), {@code method_not_allowed}
 * (405), {@code payload_too_large} (413), {@code unsupported_media_type} (415), {@code
 * invalid_import} (422), {@code too_many_failed_attempts} (429), {@code no_store_on_this_node}
 * (404), {@code internal} (500), {@code unavailable} (503).
 */
public final class ApiProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final transient Map<String, Object> details;

  public ApiProblem(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  /**
   * @param details extra members of the {@code error} object (for example {@code parameter}, or the
   *     per-line {@code errors} of an import)
   */
  public ApiProblem(int status, String code, String message, Map<String, Object> details) {
    super(Objects.requireNonNull(message, "message"), null, false, false);
    this.status = status;
    this.code = Objects.requireNonNull(code, "code");
    this.details = Map.copyOf(details);
  }

  /** 400 naming the parameter that is wrong. */
  public static ApiProblem badParameter(String parameter, String problem) {
    return new ApiProblem(
        400, "bad_request", parameter + ": " + problem, Map.of("parameter", parameter));
  }

  /** 404 for a resource that does not exist (as opposed to a route that does not). */
  public static ApiProblem notFound(String kind, String id) {
    return new ApiProblem(404, kind + "_not_found", "no " + kind + " with id '" + id + "'");
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public Map<String, Object> details() {
    return details;
  }
}

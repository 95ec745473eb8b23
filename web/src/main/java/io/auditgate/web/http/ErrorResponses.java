package io.auditgate.web.http;

import io.auditgate.fleet.FleetException;
import io.auditgate.web.tokens.UnableToUseTokensException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP: {@code {"error":{"code":"...","message":"...", ...}}}
 * with the status of the {@link ApiProblem}, {@code WWW-Authenticate: Bearer} on 401, {@code Allow}
 * on 405, {@code Retry-After} when the problem carries {@code retry_after_seconds} (429). Anything
 * that is not an {@code ApiProblem} is a bug or an outage: it is logged with its stack trace here
 * and the client gets a 500 {@code internal} that says nothing more.
 *
 * <p>Thread-safety: stateless.
 */
public final class ErrorResponses {
  private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

  private ErrorResponses() {}

  public static Response of(ApiProblem problem) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", problem.code());
    error.put("message", problem.getMessage());
    problem.details().forEach(error::putIfAbsent);
    Map<String, String> headers = new LinkedHashMap<>();
    if (problem.status() == 401) {
      headers.put("www-authenticate", "Bearer realm=\"auditgate\"");
    }
    if (problem.details().get("retry_after_seconds") instanceof Number seconds) {
      headers.put("retry-after", Long.toString(seconds.longValue()));
    }
    if (problem.status() == 405 && problem.details().get("allow") instanceof List<?> allow) {
      headers.put("allow", String.join(", ", allow.stream().map(String::valueOf).toList()));
    }
    return new Response.Json(problem.status(), Map.of("error", error), headers);
  }

  /**
   * A failure no handler expected: the store being unreachable is an outage (503 {@code
   * unavailable}, logged without a stack trace); anything else is a bug (500 {@code internal}).
   */
  public static Response unexpected(String method, String path, Throwable failure) {
    if (failure instanceof FleetException || failure instanceof UnableToUseTokensException) {
      log.warn("{} {}: the store cannot be used: {}", method, path, failure.getMessage());
      return of(
          new ApiProblem(
              503, "unavailable", "the store cannot be reached right now; retry shortly"));
    }
    log.error("{} {} failed", method, path, failure);
    return of(
        new ApiProblem(
            500, "internal", "the server failed to answer; the cause is in the server's log"));
  }
}

package io.auditgate.web.http;

import io.auditgate.web.tokens.ApiToken;
import io.auditgate.web.tokens.FailedTokenAttempts;
import io.auditgate.web.tokens.Scope;
import io.auditgate.web.tokens.TokenAuthenticator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Finds the route for a request, authenticates and authorises it, and runs its handler. The order
 * of checks is the contract clients rely on: an unknown path is 404 {@code not_found} before
 * anything else (route names are no secret: the OpenAPI document is public), a known path with
 * another method is 405, then a missing/invalid/revoked token is 401, then a token without the
 * scope is 403, then the handler runs (and may answer 404 {@code device_not_found} and so on). A
 * remote address with too many failed token attempts ({@link FailedTokenAttempts}) is answered 429
 * {@code too_many_failed_attempts} in place of the token check, its token not looked at.
 *
 * <p>Thread-safety: immutable after construction; {@link #dispatch} is called concurrently and
 * blocks as long as the handler and the token lookup do.
 */
public final class Router {
  private final List<Route> routes;
  private final TokenAuthenticator tokens;
  private final FailedTokenAttempts attempts;

  /** A router that never throttles failed token attempts (tests and tools). */
  public Router(List<Route> routes, TokenAuthenticator tokens) {
    this(routes, tokens, FailedTokenAttempts.unlimited());
  }

  /**
   * @param attempts counts failed token attempts per remote address and refuses those over the
   *     limit
   */
  public Router(List<Route> routes, TokenAuthenticator tokens, FailedTokenAttempts attempts) {
    this.routes = List.copyOf(routes);
    this.tokens = tokens;
    this.attempts = attempts;
  }

  public List<Route> routes() {
    return routes;
  }

  /**
   * Answers the request.
   *
   * @param authorization the {@code Authorization} header, if any
   * @throws ApiProblem for every refusal (the caller maps it)
   */
  public Response dispatch(Request request, Optional<String> authorization) {
    return dispatch(request, authorization, Optional.empty());
  }

  /**
   * Answers the request from {@code remoteAddress} (its IP address as text), throttling failed
   * token attempts per address.
   *
   * @throws ApiProblem for every refusal (the caller maps it)
   */
  public Response dispatch(
      Request request, Optional<String> authorization, Optional<String> remoteAddress) {
    List<String> segments = Route.split(request.path());
    TreeSet<String> allowed = new TreeSet<>();
    for (Route route : routes) {
      Map<String, String> params = route.match(segments);
      if (params == null) {
        continue;
      }
      if (!route.method().equals(request.method())
          && !(request.method().equals("HEAD") && route.method().equals("GET"))) {
        allowed.add(route.method());
        continue;
      }
      Optional<ApiToken> token = Optional.empty();
      if (!route.isPublic()) {
        token = Optional.of(authenticate(authorization, remoteAddress));
        authorise(token.get(), route);
      }
      return route.handler().handle(request.withMatch(params, token));
    }
    if (!allowed.isEmpty()) {
      throw new ApiProblem(
          405,
          "method_not_allowed",
          request.method() + " is not allowed on " + request.path() + "; allowed: " + allowed,
          Map.of("allow", new ArrayList<>(allowed)));
    }
    throw new ApiProblem(404, "not_found", "no route for " + request.path());
  }

  private ApiToken authenticate(Optional<String> authorization, Optional<String> remoteAddress) {
    if (remoteAddress.isPresent()) {
      Optional<Duration> refused = attempts.refusal(remoteAddress.get());
      if (refused.isPresent()) {
        long seconds = (refused.get().toMillis() + 999) / 1000;
        throw new ApiProblem(
            429,
            "too_many_failed_attempts",
            "too many failed token attempts from this address; retry in " + seconds + " s",
            Map.of("retry_after_seconds", seconds));
      }
    }
    if (authorization.isEmpty()) {
      throw new ApiProblem(
          401,
          "unauthenticated",
          "this endpoint needs an API token: Authorization: Bearer agt_...");
    }
    String header = authorization.get().trim();
    if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      remoteAddress.ifPresent(attempts::failed);
      throw new ApiProblem(401, "unauthenticated", "the Authorization header must be Bearer");
    }
    Optional<ApiToken> token = tokens.authenticate(header.substring(7).trim());
    if (token.isEmpty()) {
      remoteAddress.ifPresent(attempts::failed);
      throw new ApiProblem(401, "unauthenticated", "the token is unknown, malformed or revoked");
    }
    return token.get();
  }

  private static void authorise(ApiToken token, Route route) {
    for (Scope scope : route.anyOf()) {
      if (token.grants(scope)) {
        return;
      }
    }
    List<String> needed = route.anyOf().stream().map(Scope::label).sorted().toList();
    throw new ApiProblem(
        403,
        "forbidden",
        "the token '"
            + token.name()
            + "' lacks the scope this needs: "
            + String.join(" or ", needed));
  }
}

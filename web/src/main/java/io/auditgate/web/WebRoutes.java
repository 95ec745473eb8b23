package io.auditgate.web;

import io.auditgate.web.http.ApiProblem;
import io.auditgate.web.http.Response;
import io.auditgate.web.http.Route;
import io.auditgate.web.http.Router;
import io.auditgate.web.tokens.FailedTokenAttempts;
import io.auditgate.web.tokens.TokenAuthenticator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the web server serves, in one list: the given API and operations routes, the OpenAPI
 * document at {@code /api/v1/openapi.json} (public: it describes, it holds no data), and the
 * dashboard's and WebJars' files.
 */
public final class WebRoutes {
  /** Where the hand-written OpenAPI 3.1 document lives in the jar. */
  public static final String OPENAPI_RESOURCE = "io/auditgate/web/openapi.json";

  public static final String OPENAPI_PATH = "/api/v1/openapi.json";

  private WebRoutes() {}

  /**
   * The router for a server.
   *
   * @param routes the API and operations routes ({@code FleetApi}, {@code OpsRoutes})
   * @param tokens authenticates the routes that need a token
   */
  public static Router router(List<Route> routes, TokenAuthenticator tokens) {
    return router(routes, tokens, FailedTokenAttempts.unlimited());
  }

  /**
   * The router for a server that throttles failed token attempts.
   *
   * @param routes the API and operations routes ({@code FleetApi}, {@code OpsRoutes})
   * @param tokens authenticates the routes that need a token
   * @param attempts refuses remote addresses with too many failed token attempts
   */
  public static Router router(
      List<Route> routes, TokenAuthenticator tokens, FailedTokenAttempts attempts) {
    byte[] openApi = read(OPENAPI_RESOURCE);
    List<Route> all = new ArrayList<>();
    all.add(
        Route.get(
            OPENAPI_PATH,
            Set.of(),
            r -> new Response.Bytes(200, "application/json", openApi, Map.of())));
    all.addAll(routes);
    all.addAll(new StaticFiles().routes());
    return new Router(all, tokens, attempts);
  }

  /**
   * The router of a node without a store (a gateway forwarding to Kafka): only the operations
   * routes. The API, the OpenAPI document and the dashboard's files, which all need the store,
   * answer 404 {@code no_store_on_this_node} to every method, without a token (route names are no
   * secret), so that a client pointed at the wrong node is told so instead of getting a bare 404.
   * 404 rather than 503: retrying will never help, the data lives on another node.
   *
   * @param opsRoutes {@code OpsRoutes}
   */
  public static Router opsOnlyRouter(
      List<Route> opsRoutes, TokenAuthenticator tokens, FailedTokenAttempts attempts) {
    List<Route> all = new ArrayList<>(opsRoutes);
    for (String prefix : List.of("/api/v1", "/dashboard", "/webjars")) {
      for (String method : List.of("GET", "PUT", "POST", "DELETE", "PATCH")) {
        all.add(new Route(method, prefix + "/{rest*}", Set.of(), false, WebRoutes::noStore));
      }
    }
    all.add(new Route("GET", "/", Set.of(), false, WebRoutes::noStore));
    return new Router(all, tokens, attempts);
  }

  private static Response noStore(io.auditgate.web.http.Request request) {
    throw new ApiProblem(
        404,
        NO_STORE,
        "this node has no store: it serves only /metrics, /healthz and /readyz; the API and the"
            + " dashboard are served by a node with a store (the store consumer or an all-in-one"
            + " node)");
  }

  /** The error code of {@link #opsOnlyRouter}'s API and dashboard routes. */
  public static final String NO_STORE = "no_store_on_this_node";

  static byte[] read(String resource) {
    try (InputStream in = WebRoutes.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the resource " + resource + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}

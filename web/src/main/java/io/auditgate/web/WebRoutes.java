package io.auditgate.web;

import io.auditgate.web.http.Response;
import io.auditgate.web.http.Route;
import io.auditgate.web.http.Router;
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
    byte[] openApi = read(OPENAPI_RESOURCE);
    List<Route> all = new ArrayList<>();
    all.add(
        Route.get(
            OPENAPI_PATH,
            Set.of(),
            r -> new Response.Bytes(200, "application/json", openApi, Map.of())));
    all.addAll(routes);
    all.addAll(new StaticFiles().routes());
    return new Router(all, tokens);
  }

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

package io.auditgate.web;

import io.auditgate.web.http.ApiProblem;
import io.auditgate.web.http.Request;
import io.auditgate.web.http.Response;
import io.auditgate.web.http.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dashboard's files ({@code /dashboard/...} from {@code io/auditgate/web/dashboard/} in the
 * jar) and the WebJars ({@code /webjars/...} from {@code META-INF/resources/webjars/}), plus {@code
 * /} redirecting to the dashboard. Public: the files hold no data (the data comes from the API,
 * with a token). Nothing is fetched from a CDN at run time.
 *
 * <p>Only names made of {@code [A-Za-z0-9._-]} segments are served, none starting with a dot, so a
 * path can never climb out of its root. Files are read once and kept (they are small and fixed in
 * the jar). Thread-safe.
 */
final class StaticFiles {
  private static final Pattern SAFE_SEGMENT = Pattern.compile("^[A-Za-z0-9_-][A-Za-z0-9._-]*$");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon",
          "json", "application/json");

  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  List<Route> routes() {
    return List.of(
        new Route("GET", "/", Set.of(), false, r -> Response.redirect("/dashboard/")),
        new Route("GET", "/dashboard", Set.of(), false, r -> Response.redirect("/dashboard/")),
        new Route(
            "GET",
            "/dashboard/{path*}",
            Set.of(),
            false,
            r -> serve("io/auditgate/web/dashboard/", r, "index.html", "no-cache")),
        new Route(
            "GET",
            "/webjars/{path*}",
            Set.of(),
            false,
            // Versioned paths never change: let browsers keep them.
            r -> serve("META-INF/resources/webjars/", r, null, "public, max-age=86400")));
  }

  private Response serve(String root, Request request, String index, String cacheControl) {
    String path = request.pathParameter("path");
    if (path.isEmpty() || path.endsWith("/")) {
      if (index == null) {
        throw new ApiProblem(404, "not_found", "no file " + request.path());
      }
      path = path + index;
    }
    for (String segment : path.split("/", -1)) {
      if (!SAFE_SEGMENT.matcher(segment).matches()) {
        throw new ApiProblem(404, "not_found", "no file " + request.path());
      }
    }
    String extension = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    String type = TYPES.get(extension);
    if (type == null) {
      throw new ApiProblem(404, "not_found", "no file " + request.path());
    }
    String resource = root + path;
    byte[] body = cache.computeIfAbsent(resource, StaticFiles::read);
    if (body.length == 0 && !exists(resource)) {
      cache.remove(resource);
      throw new ApiProblem(404, "not_found", "no file " + request.path());
    }
    return new Response.Bytes(200, type, body, Map.of("cache-control", cacheControl));
  }

  private static boolean exists(String resource) {
    return StaticFiles.class.getClassLoader().getResource(resource) != null;
  }

  private static byte[] read(String resource) {
    try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? new byte[0] : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}

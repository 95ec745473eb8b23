package io.auditgate.web.http;

import io.auditgate.web.tokens.Scope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One method on one path template. A template is literal segments and {@code {name}} segments (one
 * path segment each); a template may end in {@code {path*}} to take the rest of the path (static
 * files).
 *
 * @param method upper-case HTTP method
 * @param template for example {@code /api/v1/devices/{id}}
 * @param anyOf the scopes of which the token must grant one; empty for a public route (no token
 *     needed)
 * @param documented whether the route belongs in the OpenAPI document (the API and the operations
 *     endpoints; not the dashboard's files)
 * @param handler what answers it
 */
public record Route(
    String method, String template, Set<Scope> anyOf, boolean documented, Handler handler) {
  public Route {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(template, "template");
    if (!template.startsWith("/")) {
      throw new IllegalArgumentException("template must start with /, got " + template);
    }
    anyOf = Set.copyOf(anyOf);
    Objects.requireNonNull(handler, "handler");
  }

  public static Route get(String template, Set<Scope> anyOf, Handler handler) {
    return new Route("GET", template, anyOf, true, handler);
  }

  public static Route put(String template, Set<Scope> anyOf, Handler handler) {
    return new Route("PUT", template, anyOf, true, handler);
  }

  public static Route post(String template, Set<Scope> anyOf, Handler handler) {
    return new Route("POST", template, anyOf, true, handler);
  }

  public boolean isPublic() {
    return anyOf.isEmpty();
  }

  List<String> segments() {
    return split(template);
  }

  /** The path parameters when {@code path} fits the template; null otherwise. */
  Map<String, String> match(List<String> pathSegments) {
    List<String> parts = segments();
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < parts.size(); i++) {
      String part = parts.get(i);
      if (part.startsWith("{") && part.endsWith("*}")) {
        if (i > pathSegments.size()) {
          return null;
        }
        params.put(
            part.substring(1, part.length() - 2),
            String.join("/", pathSegments.subList(i, pathSegments.size())));
        return params;
      }
      if (i >= pathSegments.size()) {
        return null;
      }
      String given = pathSegments.get(i);
      if (part.startsWith("{") && part.endsWith("}")) {
        if (given.isEmpty()) {
          return null;
        }
        params.put(part.substring(1, part.length() - 1), given);
      } else if (!part.equals(given)) {
        return null;
      }
    }
    return pathSegments.size() == parts.size() ? params : null;
  }

  static List<String> split(String path) {
    List<String> out = new ArrayList<>();
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.isEmpty()) {
      return out;
    }
    for (String s : trimmed.split("/", -1)) {
      out.add(s);
    }
    return out;
  }
}

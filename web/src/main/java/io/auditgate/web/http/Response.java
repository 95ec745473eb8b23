package io.auditgate.web.http;

import java.util.Map;
import java.util.Objects;

/**
 * What a handler answers; {@link io.auditgate.web.WebServer} writes it.
 *
 * <p>Only values: building one does no I/O.
 */
public sealed interface Response {
  int status();

  /** Extra headers (besides content type and length). */
  Map<String, String> headers();

  /** A JSON body: {@code body} is serialised with the server's mapper (records, maps, lists). */
  record Json(int status, Object body, Map<String, String> headers) implements Response {
    public Json {
      Objects.requireNonNull(body, "body");
      headers = Map.copyOf(headers);
    }
  }

  /** Bytes as they are (static files, the metrics exposition, the OpenAPI document). */
  record Bytes(int status, String contentType, byte[] body, Map<String, String> headers)
      implements Response {
    public Bytes {
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(body, "body");
      headers = Map.copyOf(headers);
    }
  }

  static Response ok(Object body) {
    return new Json(200, body, Map.of());
  }

  static Response json(int status, Object body) {
    return new Json(status, body, Map.of());
  }

  static Response redirect(String location) {
    return new Bytes(302, "text/plain; charset=utf-8", new byte[0], Map.of("location", location));
  }
}

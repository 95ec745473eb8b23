package io.auditgate.ingest.http;

import io.auditgate.core.telemetry.Telemetry;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where a request goes: the listener's fixed set of endpoints and the matching of a request line
 * against them. The OpenAPI document names exactly {@link Endpoint#templates()}.
 */
sealed interface Route {

  /** The endpoints, with the path template the OpenAPI document uses and the one method each. */
  enum Endpoint {
    INGEST("/v1/ingest/{deviceId}", HttpMethod.POST),
    BATCH("/v1/ingest/{deviceId}/batch", HttpMethod.POST),
    HEALTH("/healthz", HttpMethod.GET),
    READY("/readyz", HttpMethod.GET),
    OPENAPI("/docs/openapi.json", HttpMethod.GET);

    private final String template;
    private final HttpMethod method;

    Endpoint(String template, HttpMethod method) {
      this.template = template;
      this.method = method;
    }

    String template() {
      return template;
    }

    HttpMethod method() {
      return method;
    }

    boolean takesTelemetry() {
      return this == INGEST || this == BATCH;
    }

    static List<String> templates() {
      return Arrays.stream(values()).map(Endpoint::template).toList();
    }
  }

  /** The request names an endpoint with its method; {@code deviceId} for the ingest endpoints. */
  record Found(Endpoint endpoint, Optional<String> deviceId) implements Route {}

  /** The path names an endpoint, but not with this method. */
  record WrongMethod(Endpoint endpoint) implements Route {}

  /** No endpoint has this path. */
  record NotFound(String path) implements Route {}

  String INGEST_PREFIX = "/v1/ingest/";
  String BATCH_SUFFIX = "/batch";

  /**
   * Matches the request target. The path is compared as sent, without percent-decoding: a device id
   * only holds unreserved characters, so an encoded one cannot name a real device, and decoding
   * would let {@code %2F} forge a path separator.
   */
  static Route of(HttpMethod method, String uri) {
    String path = pathOf(uri);
    Optional<Found> found = match(path);
    if (found.isEmpty()) {
      return new NotFound(path);
    }
    Endpoint endpoint = found.get().endpoint();
    return endpoint.method().equals(method) ? found.get() : new WrongMethod(endpoint);
  }

  private static Optional<Found> match(String path) {
    for (Endpoint e : Endpoint.values()) {
      if (!e.takesTelemetry() && e.template().equals(path)) {
        return Optional.of(new Found(e, Optional.empty()));
      }
    }
    if (!path.startsWith(INGEST_PREFIX)) {
      return Optional.empty();
    }
    String rest = path.substring(INGEST_PREFIX.length());
    Endpoint endpoint = Endpoint.INGEST;
    if (rest.endsWith(BATCH_SUFFIX)) {
      rest = rest.substring(0, rest.length() - BATCH_SUFFIX.length());
      endpoint = Endpoint.BATCH;
    }
    return Telemetry.isDeviceId(rest)
        ? Optional.of(new Found(endpoint, Optional.of(rest)))
        : Optional.empty();
  }

  /** The path of an origin-form ({@code /a?b}) or absolute-form ({@code https://h/a}) target. */
  private static String pathOf(String uri) {
    String target = uri;
    int scheme = target.indexOf("://");
    if (scheme > 0 && scheme < target.indexOf('/')) {
      int slash = target.indexOf('/', scheme + 3);
      target = slash < 0 ? "/" : target.substring(slash);
    }
    int end = target.length();
    for (char c : new char[] {'?', '#'}) {
      int i = target.indexOf(c);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    return target.substring(0, end);
  }
}

package io.auditgate.web.http;

import io.auditgate.web.tokens.ApiToken;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request as a handler sees it, fully read (the body is bounded by {@code
 * web.max_body_size}).
 *
 * @param method upper-case method
 * @param path the decoded path without the query
 * @param query the query parameters, each with every value given
 * @param contentType the {@code Content-Type} header without parameters, lower case; empty if none
 * @param body the request body; empty array when none
 * @param pathParameters values of the route's {@code {name}} segments
 * @param token the authenticated token; empty on unauthenticated routes
 * @param authorization the {@code Authorization} header as sent, for routes that authenticate on
 *     their own (EST's HTTP Basic); never logged
 * @param clientCertificates the TLS client certificate chain, leaf first, when the client presented
 *     one the server's trust manager accepted; empty otherwise (and over plaintext)
 */
public record Request(
    String method,
    String path,
    Map<String, List<String>> query,
    String contentType,
    byte[] body,
    Map<String, String> pathParameters,
    Optional<ApiToken> token,
    Optional<String> authorization,
    List<X509Certificate> clientCertificates) {
  public Request {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    query = Map.copyOf(query);
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
    pathParameters = Map.copyOf(pathParameters);
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(authorization, "authorization");
    clientCertificates = List.copyOf(clientCertificates);
  }

  /** Without the body and the Authorization header: a request may be logged, its secrets not. */
  @Override
  public String toString() {
    return "Request["
        + method
        + " "
        + path
        + ", contentType="
        + contentType
        + ", bodyBytes="
        + body.length
        + ", token="
        + token.map(ApiToken::name).orElse("-")
        + ", authorization="
        + (authorization.isPresent() ? "(present)" : "-")
        + ", clientCertificates="
        + clientCertificates.size()
        + "]";
  }

  /** A request without an Authorization header or client certificate (tests, internal calls). */
  public Request(
      String method,
      String path,
      Map<String, List<String>> query,
      String contentType,
      byte[] body,
      Map<String, String> pathParameters,
      Optional<ApiToken> token) {
    this(
        method, path, query, contentType, body, pathParameters, token, Optional.empty(), List.of());
  }

  /** The value of the route's {@code {name}} segment. */
  public String pathParameter(String name) {
    String value = pathParameters.get(name);
    if (value == null) {
      throw new IllegalStateException("the route has no path parameter " + name);
    }
    return value;
  }

  /** Typed access to the query, with 400s that name the parameter. */
  public QueryParameters parameters() {
    return new QueryParameters(query);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  Request withMatch(Map<String, String> parameters, Optional<ApiToken> authenticated) {
    return new Request(
        method,
        path,
        query,
        contentType,
        body,
        parameters,
        authenticated,
        authorization,
        clientCertificates);
  }
}

package io.auditgate.web.est;

import io.auditgate.controlplane.enrolment.Enrolment;
import io.auditgate.controlplane.enrolment.EnrolmentOutcome;
import io.auditgate.controlplane.enrolment.EnrolmentRefusal;
import io.auditgate.web.http.Request;
import io.auditgate.web.http.Response;
import io.auditgate.web.http.Route;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * EST (RFC 7030) over the web server, for devices rather than people: the routes carry no API token
 * ({@link Route#isPublic()}) and authenticate on their own.
 *
 * <ul>
 *   <li>{@code GET /.well-known/est/cacerts}: the issuing and root CA certificates, no
 *       authentication (§4.1).
 *   <li>{@code POST /.well-known/est/simpleenroll}: first enrolment, authenticated by a one-time
 *       enrolment token sent as the password of HTTP Basic ({@code Authorization: Basic
 *       base64(<device id or anything>:<token>)}, §3.2.3); the user name is ignored, the token
 *       names the device.
 *   <li>{@code POST /.well-known/est/simplereenroll}: renewal, authenticated by the TLS client
 *       certificate the device holds now (the server asks for one optionally, trusting the device
 *       CA; §3.3.2).
 * </ul>
 *
 * <p>Wire format (§4.1.3, §4.2.1, §4.2.3): requests carry a base64 PKCS#10 CSR with {@code
 * Content-Type: application/pkcs10}; answers are base64 DER certs-only CMS with {@code
 * Content-Type: application/pkcs7-mime; smime-type=certs-only} and {@code
 * Content-Transfer-Encoding: base64}. The enrolment answer holds only the issued certificate
 * (§4.2.3); clients get the CA chain from {@code cacerts}. Errors are {@code text/plain}: {@code
 * <reason_code>: <message>} with 400 (bad CSR), 401 (no or bad credentials, with {@code
 * WWW-Authenticate: Basic} on simpleenroll), 403 (another device's identity, revoked certificate)
 * or 415 (wrong content type).
 *
 * <p>Thread-safety: immutable; handlers block on the database through {@link Enrolment}.
 */
public final class EstRoutes {
  public static final String PREFIX = "/.well-known/est";
  static final String PKCS7 = "application/pkcs7-mime; smime-type=certs-only";
  static final String REALM = "Basic realm=\"auditgate EST\", charset=\"UTF-8\"";

  private final Enrolment enrolment;

  public EstRoutes(Enrolment enrolment) {
    this.enrolment = Objects.requireNonNull(enrolment, "enrolment");
  }

  /** Undocumented in the OpenAPI document: EST is its own RFC, not part of /api/v1. */
  public List<Route> routes() {
    return List.of(
        new Route("GET", PREFIX + "/cacerts", Set.of(), false, this::caCertificates),
        new Route("POST", PREFIX + "/simpleenroll", Set.of(), false, this::simpleEnroll),
        new Route("POST", PREFIX + "/simplereenroll", Set.of(), false, this::simpleReenroll));
  }

  private Response caCertificates(Request request) {
    return pkcs7(enrolment.caCertificatesPkcs7());
  }

  private Response simpleEnroll(Request request) {
    Optional<String> token = basicPassword(request.authorization());
    if (token.isEmpty()) {
      return error(
          401,
          "unauthenticated",
          "simpleenroll needs an enrolment token as the password of HTTP Basic authentication",
          Map.of("www-authenticate", REALM));
    }
    Optional<byte[]> csr = csr(request);
    if (csr.isEmpty()) {
      return csrProblem(request);
    }
    return answer(enrolment.simpleEnroll(token.get(), csr.get()), true);
  }

  private Response simpleReenroll(Request request) {
    if (request.clientCertificates().isEmpty()) {
      return error(
          401,
          "certificate_missing",
          "simplereenroll is authenticated by the device's current certificate: present it as the"
              + " TLS client certificate",
          Map.of());
    }
    Optional<byte[]> csr = csr(request);
    if (csr.isEmpty()) {
      return csrProblem(request);
    }
    return answer(enrolment.simpleReenroll(request.clientCertificates(), csr.get()), false);
  }

  private static Response answer(EnrolmentOutcome outcome, boolean basic) {
    if (outcome instanceof EnrolmentOutcome.Issued issued) {
      return pkcs7(Enrolment.pkcs7(List.of(issued.certificate())));
    }
    EnrolmentRefusal refusal = ((EnrolmentOutcome.Refused) outcome).refusal();
    return switch (refusal.kind()) {
      case BAD_REQUEST -> error(400, refusal.code(), refusal.message(), Map.of());
      case UNAUTHENTICATED ->
          error(
              401,
              refusal.code(),
              refusal.message(),
              basic ? Map.of("www-authenticate", REALM) : Map.of());
      case FORBIDDEN -> error(403, refusal.code(), refusal.message(), Map.of());
    };
  }

  /** The DER CSR from a base64 body (RFC 7030 §4.2.1); whitespace and line breaks allowed. */
  private static Optional<byte[]> csr(Request request) {
    if (!request.contentType().equals("application/pkcs10")) {
      return Optional.empty();
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(request.body());
      return der.length == 0 ? Optional.empty() : Optional.of(der);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Response csrProblem(Request request) {
    if (!request.contentType().equals("application/pkcs10")) {
      return error(
          415,
          "unsupported_media_type",
          "the body must be a base64 PKCS#10 request with Content-Type: application/pkcs10, got '"
              + request.contentType()
              + "'",
          Map.of());
    }
    return error(
        400, "csr_malformed", "the body is not a base64-encoded PKCS#10 request", Map.of());
  }

  /** The password of an HTTP Basic header (RFC 7617); the user name is not used. */
  static Optional<String> basicPassword(Optional<String> authorization) {
    if (authorization.isEmpty()) {
      return Optional.empty();
    }
    String header = authorization.get().trim();
    if (header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    return colon < 0 ? Optional.empty() : Optional.of(decoded.substring(colon + 1));
  }

  private static Response pkcs7(byte[] der) {
    byte[] base64 = Base64.getMimeEncoder(64, new byte[] {'\r', '\n'}).encode(der);
    return new Response.Bytes(200, PKCS7, base64, Map.of("content-transfer-encoding", "base64"));
  }

  private static Response error(
      int status, String code, String message, Map<String, String> headers) {
    return new Response.Bytes(
        status,
        "text/plain; charset=utf-8",
        (code + ": " + message + "\n").getBytes(StandardCharsets.UTF_8),
        headers);
  }
}

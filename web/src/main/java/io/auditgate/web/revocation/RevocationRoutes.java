package io.auditgate.web.revocation;

import io.auditgate.controlplane.revocation.OcspReply;
import io.auditgate.controlplane.revocation.PublishedCrl;
import io.auditgate.controlplane.revocation.Revocations;
import io.auditgate.web.http.ApiProblem;
import io.auditgate.web.http.Request;
import io.auditgate.web.http.Response;
import io.auditgate.web.http.Route;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The CRL and the OCSP responder over HTTP:
 *
 * <ul>
 *   <li>{@code GET /crl/<name>.crl}: the published CRL, DER, {@code application/pkix-crl} (RFC 5280
 *       §4.2.1.13, RFC 2585), with {@code ETag} = the CRL number and {@code Expires} = its
 *       nextUpdate.
 *   <li>{@code POST /ocsp}: a DER {@code OCSPRequest} body of type {@code
 *       application/ocsp-request}; the answer is an {@code application/ocsp-response} (RFC 6960
 *       appendix A.1).
 *   <li>{@code GET /ocsp/<base64 of the DER request>}: the same, for caches (A.1); the base64 may
 *       be percent-encoded.
 * </ul>
 *
 * <p>All three are public, without a token, by design: relying parties (TLS servers, devices,
 * OpenSSL) fetch them anonymously, and what they serve is signed by the CA and public anyway. They
 * are protocol endpoints specified by RFCs, not the JSON API, so they are not in the OpenAPI
 * document. An OCSP request that cannot be decoded gets an OCSP {@code malformedRequest} response
 * (HTTP 200), as RFC 6960 asks; a POST of another content type gets 415.
 *
 * <p>Thread-safety: immutable; handlers run on the web server's worker threads and block on the
 * database through {@link Revocations}.
 */
public final class RevocationRoutes {
  public static final String CRL_CONTENT_TYPE = "application/pkix-crl";
  public static final String OCSP_REQUEST_TYPE = "application/ocsp-request";
  public static final String OCSP_RESPONSE_TYPE = "application/ocsp-response";

  /** A GET request is a URL; RFC 6960 expects it under 255 bytes, browsers cope with a few KiB. */
  private static final int MAX_GET_REQUEST_CHARS = 4096;

  private final Revocations revocations;

  public RevocationRoutes(Revocations revocations) {
    this.revocations = Objects.requireNonNull(revocations, "revocations");
  }

  /** The routes, each public and left out of the OpenAPI document (see the class comment). */
  public List<Route> routes() {
    return List.of(
        new Route("GET", "/crl/{file}", Set.of(), false, this::crl),
        new Route("POST", "/ocsp", Set.of(), false, this::ocspPost),
        new Route("GET", "/ocsp/{request*}", Set.of(), false, this::ocspGet));
  }

  /** The path relying parties fetch the CRL from, for a CRL distribution point. */
  public String crlPath() {
    return "/crl/" + revocations.crlName() + ".crl";
  }

  private Response crl(Request request) {
    String file = request.pathParameter("file");
    if (!file.endsWith(".crl")) {
      throw ApiProblem.notFound("crl", file);
    }
    String name = file.substring(0, file.length() - ".crl".length());
    PublishedCrl crl = revocations.crl(name).orElseThrow(() -> ApiProblem.notFound("crl", name));
    return new Response.Bytes(
        200,
        CRL_CONTENT_TYPE,
        crl.der(),
        Map.of(
            "etag",
            "\"" + crl.number().toString(16) + "\"",
            "last-modified",
            http(crl.thisUpdate()),
            "expires",
            http(crl.nextUpdate()),
            // Short: a revocation publishes a new CRL at once, and caches must not hide it long.
            "cache-control",
            "public, max-age=" + Duration.ofMinutes(1).toSeconds()));
  }

  private Response ocspPost(Request request) {
    if (!OCSP_REQUEST_TYPE.equals(request.contentType())) {
      throw new ApiProblem(
          415,
          "unsupported_media_type",
          "an OCSP request is sent as "
              + OCSP_REQUEST_TYPE
              + ", got '"
              + request.contentType()
              + "'");
    }
    return ocsp(request.body());
  }

  private Response ocspGet(Request request) {
    String encoded = request.pathParameter("request");
    byte[] der;
    if (encoded.length() > MAX_GET_REQUEST_CHARS) {
      der = new byte[0];
    } else {
      try {
        der = Base64.getDecoder().decode(encoded);
      } catch (IllegalArgumentException e) {
        // Not base64: the responder answers malformedRequest for an empty request.
        der = new byte[0];
      }
    }
    return ocsp(der);
  }

  private Response ocsp(byte[] der) {
    OcspReply reply = revocations.ocsp(der);
    return new Response.Bytes(200, OCSP_RESPONSE_TYPE, reply.der(), Map.of());
  }

  private static String http(Instant instant) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
  }
}

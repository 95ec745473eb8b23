package io.auditgate.ingest.http;

import io.auditgate.core.ingest.DeviceAuthenticator;
import io.auditgate.core.ingest.DeviceIdentity;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides who sent a request from the client certificate of its connection and its {@code
 * Authorization} header.
 *
 * <p>Every credential presented must verify: a bad token next to a good certificate is still a
 * refusal, because silently ignoring a failing credential hides stolen or revoked ones from the
 * audit. When both verify they must name the same device; the certificate is then reported as the
 * method, being the stronger proof.
 */
final class Authentication {
  // RFC 6750 §2.1: "Bearer" 1*SP b64token.
  private static final Pattern BEARER =
      Pattern.compile("^Bearer +([A-Za-z0-9\\-._~+/]+=*) *$", Pattern.CASE_INSENSITIVE);

  private Authentication() {}

  sealed interface Outcome {}

  record Authenticated(DeviceIdentity identity) implements Outcome {}

  /**
   * @param tokenRefused whether a bearer token was presented and refused, which the challenge
   *     reports as {@code error="invalid_token"} (RFC 6750 §3.1)
   */
  record Refused(String message, boolean tokenRefused) implements Outcome {}

  /**
   * @param authorization every {@code Authorization} header value of the request
   * @param chain the connection's verified client certificate chain, empty if none was presented
   * @param pathDeviceId the device the request is for; an anonymous request is taken to be from it
   */
  static Outcome authenticate(
      DeviceAuthenticator authenticator,
      List<String> authorization,
      List<X509Certificate> chain,
      String pathDeviceId) {
    if (authorization.size() > 1) {
      return new Refused("more than one Authorization header", false);
    }
    Optional<DeviceIdentity> byToken = Optional.empty();
    if (authorization.size() == 1) {
      Matcher m = BEARER.matcher(authorization.get(0));
      if (!m.matches()) {
        return new Refused("the Authorization header must be 'Bearer <token>'", false);
      }
      byToken = authenticator.fromToken(m.group(1));
      if (byToken.isEmpty()) {
        return new Refused("the bearer token is not valid", true);
      }
    }
    Optional<DeviceIdentity> byCertificate = Optional.empty();
    if (!chain.isEmpty()) {
      byCertificate = authenticator.fromCertificate(chain);
      if (byCertificate.isEmpty()) {
        return new Refused("the client certificate does not identify an accepted device", false);
      }
    }
    if (byCertificate.isPresent() && byToken.isPresent()) {
      if (!byCertificate.get().deviceId().equals(byToken.get().deviceId())) {
        return new Refused(
            "the client certificate and the bearer token identify different devices", false);
      }
      return new Authenticated(byCertificate.get());
    }
    if (byCertificate.isPresent()) {
      return new Authenticated(byCertificate.get());
    }
    if (byToken.isPresent()) {
      return new Authenticated(byToken.get());
    }
    if (authenticator.allowsAnonymous()) {
      return new Authenticated(
          new DeviceIdentity(pathDeviceId, DeviceIdentity.Method.ANONYMOUS, Optional.empty()));
    }
    return new Refused(
        "no credentials: present a client certificate or an 'Authorization: Bearer' token", false);
  }
}

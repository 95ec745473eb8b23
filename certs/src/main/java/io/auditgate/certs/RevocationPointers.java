package io.auditgate.certs;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a relying party finds out whether a certificate the CA issued is revoked, written into the
 * certificates it issues: the CRL distribution point (RFC 5280 §4.2.1.13) and the OCSP responder in
 * the authority information access extension (§4.2.2.1). Each is optional; {@link #NONE} writes
 * neither, which is what a CA without a published control plane address does.
 *
 * @param crlUrl the CRL's URL, http or https with a host
 * @param ocspUrl the OCSP responder's URL, http or https with a host
 */
public record RevocationPointers(Optional<URI> crlUrl, Optional<URI> ocspUrl) {
  /** Neither pointer. */
  public static final RevocationPointers NONE =
      new RevocationPointers(Optional.empty(), Optional.empty());

  public RevocationPointers {
    Objects.requireNonNull(crlUrl, "crlUrl");
    Objects.requireNonNull(ocspUrl, "ocspUrl");
    crlUrl.ifPresent(u -> check("crlUrl", u));
    ocspUrl.ifPresent(u -> check("ocspUrl", u));
  }

  /**
   * The pointers of a control plane whose CRL is served at {@code crlUrl}: the CRL there, and the
   * OCSP responder at {@code /ocsp} of the same origin, where the control plane's web server serves
   * it next to {@code /crl/…}.
   */
  public static RevocationPointers servedWith(URI crlUrl) {
    check("crlUrl", crlUrl);
    return new RevocationPointers(Optional.of(crlUrl), Optional.of(crlUrl.resolve("/ocsp")));
  }

  /** Whether there is anything to write. */
  public boolean isEmpty() {
    return crlUrl.isEmpty() && ocspUrl.isEmpty();
  }

  private static void check(String name, URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          name + " must be an http or https URL with a host, got '" + uri + "'");
    }
  }
}

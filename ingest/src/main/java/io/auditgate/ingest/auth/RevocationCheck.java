package io.auditgate.ingest.auth;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Whether a client certificate has been revoked. The certificate control plane implements it from
 * its CRLs and OCSP responses; until then {@link #none()}.
 *
 * <p>Thread-safety: implementations are safe from network event loops and never block on I/O: they
 * answer from revocation state fetched in the background.
 */
@FunctionalInterface
public interface RevocationCheck {

  /**
   * @param certificate the client certificate
   * @param chain the chain it came with, leaf first (for the issuer a CRL or OCSP response names)
   */
  boolean isRevoked(X509Certificate certificate, List<X509Certificate> chain);

  /** Nothing is revoked: no revocation source is configured. */
  static RevocationCheck none() {
    return (certificate, chain) -> false;
  }
}

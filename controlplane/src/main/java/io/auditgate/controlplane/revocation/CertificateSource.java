package io.auditgate.controlplane.revocation;

import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Finds a certificate by fingerprint, so that a revocation by SHA-256 learns the serial a CRL
 * needs. The certificate inventory implements it; {@link #none()} knows no certificate.
 *
 * <p>Thread-safety: implementations are thread-safe and may block on a short query.
 */
@FunctionalInterface
public interface CertificateSource {
  Optional<X509Certificate> bySha256(String sha256);

  static CertificateSource none() {
    return sha256 -> Optional.empty();
  }
}

package io.auditgate.app.observability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;

/**
 * When the listeners' own server certificate (the first of {@code tls.certificate_chain}) expires.
 */
final class CertificateExpiry {
  private CertificateExpiry() {}

  /**
   * Read once at wiring: the listeners build their TLS context at start and serve that certificate
   * until restarted, so the file's later contents are not what clients see.
   */
  static Optional<Instant> notAfter(Path certificateChain) {
    try (InputStream in = Files.newInputStream(certificateChain)) {
      var certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
      return certificates.stream()
          .findFirst()
          .map(c -> ((X509Certificate) c).getNotAfter().toInstant());
    } catch (IOException | CertificateException | RuntimeException e) {
      return Optional.empty();
    }
  }
}

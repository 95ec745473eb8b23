package io.auditgate.ingest.auth;

import java.util.Optional;
import java.util.Set;

/**
 * Which certificates a device may use, by SHA-256 fingerprint (lower-case hex of the DER). The
 * certificate control plane implements it from its registry; until then {@link
 * InMemoryCertificateBindings} or {@link #none()}.
 *
 * <p>Thread-safety: implementations are safe to call from network event loops and never block on
 * I/O (hold the bindings in memory and refresh them in the background).
 */
public interface CertificateBindings {

  /**
   * The fingerprints bound to the device; empty when the device has no binding, in which case any
   * certificate the TLS layer accepted for it will do.
   */
  Optional<Set<String>> fingerprintsOf(String deviceId);

  /** The device a certificate is bound to (exclusively), if any. */
  Optional<String> deviceOf(String sha256Fingerprint);

  /** No bindings at all: the CA's signature alone decides. */
  static CertificateBindings none() {
    return new CertificateBindings() {
      @Override
      public Optional<Set<String>> fingerprintsOf(String deviceId) {
        return Optional.empty();
      }

      @Override
      public Optional<String> deviceOf(String sha256Fingerprint) {
        return Optional.empty();
      }
    };
  }
}

package io.auditgate.ingest.bridge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.TrustManagerFactory;

/** Builds a trust manager from a PEM bundle of CA certificates with the JDK alone. */
final class PemTrust {
  private PemTrust() {}

  /**
   * @throws UnableToLoadBrokerTrustException if the file cannot be read, holds no certificate or
   *     holds something that is not one
   */
  static TrustManagerFactory fromPemFile(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new UnableToLoadBrokerTrustException(file, "it holds no certificate", null);
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory;
    } catch (IOException | GeneralSecurityException e) {
      throw new UnableToLoadBrokerTrustException(file, e.toString(), e);
    }
  }
}

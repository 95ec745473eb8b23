package io.auditgate.certs;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/** Encodings of certificate lists for the wire. Stateless and thread-safe. */
public final class CertificateBundles {
  private CertificateBundles() {}

  /**
   * A degenerate PKCS#7 / CMS SignedData holding only certificates ("certs-only", RFC 7030 §4.1.3
   * and §4.2.3): version 1, no digest algorithms, empty content of type id-data, the certificates,
   * no signer infos. DER, in the given order.
   */
  public static byte[] pkcs7CertsOnly(List<X509Certificate> certificates) {
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("a certs-only bundle needs at least one certificate");
    }
    try {
      // The JDK writes exactly this structure for a CertPath in its PKCS7 encoding.
      return CertificateFactory.getInstance("X.509")
          .generateCertPath(List.copyOf(certificates))
          .getEncoded("PKCS7");
    } catch (GeneralSecurityException e) {
      throw new CertsException("cannot encode certificates as PKCS#7", e);
    }
  }

  /** PEM {@code CERTIFICATE} blocks, in the given order. */
  public static String pem(List<X509Certificate> certificates) {
    return io.auditgate.certs.internal.Pem.certificates(certificates);
  }
}

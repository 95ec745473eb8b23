package io.auditgate.ingest.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** Certificate fingerprints as the gateway reports and binds them. */
public final class Fingerprints {
  private Fingerprints() {}

  /** Lower-case hex SHA-256 of the certificate's DER encoding. */
  public static String sha256Hex(X509Certificate certificate) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      // Every JDK has SHA-256, and a certificate that was parsed can be re-encoded.
      throw new IllegalStateException(
          "cannot fingerprint " + certificate.getSubjectX500Principal(), e);
    }
  }
}

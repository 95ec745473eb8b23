package io.auditgate.certs;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * Imports another CA's certificate chain as trust anchors only: the control plane can then tell
 * whether a certificate it sees chains to that CA (inventory, "untrusted" status), but can never
 * issue with it. The bundle (PEM or DER, one or more certificates) must hold CA certificates only,
 * at least one self-signed root, every other certificate signed by one in the bundle, all valid at
 * the given instant, and no private key.
 *
 * <p>Stateless and thread-safe.
 */
public final class ExternalCaChain {
  private static final int KEY_CERT_SIGN = 5;

  private ExternalCaChain() {}

  /** What an import found. */
  public sealed interface Result {}

  /**
   * @param roots the self-signed roots: the trust anchors
   * @param intermediates the other CA certificates, each signed within the bundle
   */
  public record Imported(List<X509Certificate> roots, List<X509Certificate> intermediates)
      implements Result {
    public Imported {
      roots = List.copyOf(roots);
      intermediates = List.copyOf(intermediates);
    }

    /** A verifier of device chains that lead to these roots. */
    public DeviceCertificateVerifier verifier() {
      return new DeviceCertificateVerifier(roots);
    }
  }

  /**
   * @param code {@code ca_chain_malformed}, {@code ca_chain_has_private_key}, {@code
   *     ca_chain_not_ca}, {@code ca_chain_no_root}, {@code ca_chain_incomplete} or {@code
   *     ca_chain_expired}
   * @param message a sentence for a person
   */
  public record Refused(String code, String message) implements Result {
    public Refused {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }

  /** Checks {@code bundle} (the file's bytes) at instant {@code at}. */
  public static Result read(byte[] bundle, Instant at) {
    String text = new String(bundle, StandardCharsets.ISO_8859_1);
    if (text.contains("PRIVATE KEY-----")) {
      return new Refused(
          "ca_chain_has_private_key",
          "the bundle holds a private key; a trust anchor import takes certificates only");
    }
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      for (Certificate c :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(bundle))) {
        certificates.add((X509Certificate) c);
      }
    } catch (CertificateException | RuntimeException e) {
      return new Refused(
          "ca_chain_malformed", "the bundle is not PEM or DER X.509 certificates: " + e);
    }
    if (certificates.isEmpty()) {
      return new Refused("ca_chain_malformed", "the bundle holds no certificate");
    }
    List<X509Certificate> roots = new ArrayList<>();
    List<X509Certificate> intermediates = new ArrayList<>();
    for (X509Certificate c : certificates) {
      boolean[] usage = c.getKeyUsage();
      if (c.getBasicConstraints() < 0 || (usage != null && !usage[KEY_CERT_SIGN])) {
        return new Refused(
            "ca_chain_not_ca",
            c.getSubjectX500Principal() + " is not a CA certificate (basicConstraints/keyUsage)");
      }
      try {
        c.checkValidity(Date.from(at));
      } catch (CertificateException e) {
        return new Refused(
            "ca_chain_expired",
            c.getSubjectX500Principal() + " is not valid at " + at + " (" + c.getNotAfter() + ")");
      }
      if (c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && signedBy(c, c)) {
        roots.add(c);
      } else {
        intermediates.add(c);
      }
    }
    if (roots.isEmpty()) {
      return new Refused(
          "ca_chain_no_root", "the bundle holds no self-signed root to anchor trust in");
    }
    for (X509Certificate c : intermediates) {
      boolean linked = certificates.stream().anyMatch(issuer -> issuer != c && signedBy(c, issuer));
      if (!linked) {
        return new Refused(
            "ca_chain_incomplete",
            c.getSubjectX500Principal() + " is not signed by any certificate in the bundle");
      }
    }
    return new Imported(roots, intermediates);
  }

  private static boolean signedBy(X509Certificate subject, X509Certificate issuer) {
    if (!subject.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      return false;
    }
    try {
      subject.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}

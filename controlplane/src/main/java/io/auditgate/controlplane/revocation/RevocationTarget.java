package io.auditgate.controlplane.revocation;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** Which certificate to revoke. */
public sealed interface RevocationTarget {

  /** The certificate itself: issuer, serial and fingerprint all come from it. */
  record Certificate(X509Certificate certificate) implements RevocationTarget {
    public Certificate {
      Objects.requireNonNull(certificate, "certificate");
    }
  }

  /**
   * The certificate with this fingerprint, looked up through the {@link CertificateSource} (the
   * inventory) to learn its serial.
   */
  record Sha256(String sha256) implements RevocationTarget {
    public Sha256 {
      Objects.requireNonNull(sha256, "sha256");
      RevocationRecord.requireSha256(sha256);
    }
  }

  /** A serial number of the issuing CA, for a certificate the control plane never saw. */
  record Serial(BigInteger serial) implements RevocationTarget {
    public Serial {
      Objects.requireNonNull(serial, "serial");
      if (serial.signum() <= 0 || serial.bitLength() > 159) {
        throw new IllegalArgumentException(
            "serial must be positive and at most 20 octets, got " + serial.toString(16));
      }
    }
  }
}

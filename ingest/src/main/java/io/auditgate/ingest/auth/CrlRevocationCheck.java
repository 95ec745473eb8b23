package io.auditgate.ingest.auth;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link RevocationCheck} answered from the latest CRL handed to {@link #update}: the app fetches
 * the control plane's CRL in the background and updates this snapshot, so a handshake never waits
 * for the network or a database.
 *
 * <p>A CRL counts only for certificates of its issuer, and only once its signature has been
 * verified with that issuer's key, which comes from the certificate's own chain (the issuing CA a
 * device sends after its leaf) or from {@code issuerCertificate} when one is configured. An update
 * older than the snapshot (a lower cRLNumber) is ignored, so a stale cache cannot roll revocations
 * back. When no CRL has been loaded yet nothing counts as revoked; a CRL past its nextUpdate is
 * still used (revocations are permanent, so an old list is incomplete, never wrong).
 *
 * <p>Thread-safety: thread-safe; {@link #isRevoked} never blocks (it may verify one signature the
 * first time it sees a new CRL).
 */
public final class CrlRevocationCheck implements RevocationCheck {
  private final Optional<X509Certificate> issuerCertificate;
  private final AtomicReference<Snapshot> current = new AtomicReference<>();

  /**
   * @param issuerCertificate the CRL issuer's certificate, to verify each CRL when it is loaded;
   *     empty to verify it with the issuer certificate a client's chain carries
   */
  public CrlRevocationCheck(Optional<X509Certificate> issuerCertificate) {
    this.issuerCertificate = Objects.requireNonNull(issuerCertificate, "issuerCertificate");
  }

  /** What {@link #update} did. */
  public enum Update {
    LOADED,
    UNCHANGED,
    OLDER_IGNORED,
    INVALID
  }

  /** Loads a DER CRL; a CRL that does not parse or verify leaves the snapshot as it was. */
  public Update update(byte[] der) {
    X509CRL crl;
    try {
      crl =
          (X509CRL)
              CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    } catch (CRLException | CertificateException | RuntimeException e) {
      return Update.INVALID;
    }
    if (issuerCertificate.isPresent()) {
      if (!issuerCertificate.get().getSubjectX500Principal().equals(crl.getIssuerX500Principal())
          || !verifies(crl, issuerCertificate.get())) {
        return Update.INVALID;
      }
    }
    Snapshot next = new Snapshot(crl, CrlNumbers.of(crl), issuerCertificate.isPresent());
    while (true) {
      Snapshot previous = current.get();
      if (previous != null) {
        int order = next.number().compareTo(previous.number());
        if (order < 0) {
          return Update.OLDER_IGNORED;
        }
        if (order == 0 && previous.crl().getThisUpdate().equals(crl.getThisUpdate())) {
          return Update.UNCHANGED;
        }
      }
      if (current.compareAndSet(previous, next)) {
        return Update.LOADED;
      }
    }
  }

  /** The loaded CRL's number and nextUpdate, if one is loaded. */
  public Optional<Loaded> loaded() {
    Snapshot s = current.get();
    return s == null
        ? Optional.empty()
        : Optional.of(
            new Loaded(
                s.number(),
                s.crl().getThisUpdate().toInstant(),
                Optional.ofNullable(s.crl().getNextUpdate()).map(Date::toInstant),
                s.crl().getRevokedCertificates() == null
                    ? 0
                    : s.crl().getRevokedCertificates().size()));
  }

  @Override
  public boolean isRevoked(X509Certificate certificate, List<X509Certificate> chain) {
    Snapshot s = current.get();
    if (s == null
        || !s.crl().getIssuerX500Principal().equals(certificate.getIssuerX500Principal())) {
      return false;
    }
    if (s.crl().getRevokedCertificate(certificate.getSerialNumber()) == null) {
      return false;
    }
    if (s.verified()) {
      return true;
    }
    // Verify with the issuer the chain names: a forged list could otherwise lock devices out.
    for (X509Certificate candidate : chain) {
      if (candidate.getSubjectX500Principal().equals(s.crl().getIssuerX500Principal())
          && verifies(s.crl(), candidate)) {
        current.compareAndSet(s, new Snapshot(s.crl(), s.number(), true));
        return true;
      }
    }
    return false;
  }

  private static boolean verifies(X509CRL crl, X509Certificate issuer) {
    try {
      crl.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * What the snapshot holds.
   *
   * @param number the cRLNumber (0 when the CRL has none)
   * @param entries revoked serials listed
   */
  public record Loaded(
      BigInteger number, Instant thisUpdate, Optional<Instant> nextUpdate, int entries) {}

  private record Snapshot(X509CRL crl, BigInteger number, boolean verified) {}

  /** Reads the cRLNumber extension (2.5.29.20) with the JDK alone. */
  static final class CrlNumbers {
    private CrlNumbers() {}

    static BigInteger of(X509CRL crl) {
      byte[] ext = crl.getExtensionValue("2.5.29.20");
      if (ext == null) {
        return BigInteger.ZERO;
      }
      // OCTET STRING { INTEGER n }: tag, length, then tag 0x02, length, value (short forms only:
      // a CRL number fits in 20 octets).
      int offset = 2;
      if (ext.length < 4 || ext[offset] != 0x02) {
        return BigInteger.ZERO;
      }
      int length = ext[offset + 1];
      if (length <= 0 || offset + 2 + length > ext.length) {
        return BigInteger.ZERO;
      }
      byte[] value = Arrays.copyOfRange(ext, offset + 2, offset + 2 + length);
      return new BigInteger(value);
    }
  }
}

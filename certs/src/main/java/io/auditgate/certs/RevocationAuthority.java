package io.auditgate.certs;

import io.auditgate.certs.internal.CrlSigner;
import io.auditgate.certs.internal.OcspResponder;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;

/**
 * The issuing CA acting on revocation: it signs CRLs and OCSP responses for the certificates it
 * issued. Both are pure functions of the CA, the revoked serials and the times passed in; where the
 * serials are kept and when CRLs are regenerated is the control plane's business.
 *
 * <p>OCSP responses are signed by the issuing CA itself (RFC 6960 §4.2.2.2 "the CA who issued the
 * certificate"), not by a delegated responder certificate: nothing else to issue, rotate or trust,
 * and every relying party that trusts the CA trusts its answers. The issuing CA certificate is sent
 * in the response so that a client holding only the root can verify it.
 *
 * <p>Thread-safety: immutable; safe from any thread. Signing is CPU-bound and never blocks on I/O.
 */
public final class RevocationAuthority {
  private final X509Certificate issuer;
  private final CrlSigner crls;
  private final OcspResponder ocsp;

  private RevocationAuthority(X509Certificate issuer, PrivateKey key) {
    this.issuer = issuer;
    this.crls = new CrlSigner(issuer, key);
    this.ocsp = new OcspResponder(issuer, key);
  }

  /**
   * The CA with certificate {@code issuer} and its private key {@code key}.
   *
   * @throws IllegalArgumentException if {@code issuer} is not a CA allowed to sign CRLs
   */
  public static RevocationAuthority of(X509Certificate issuer, PrivateKey key) {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(key, "key");
    boolean[] usage = issuer.getKeyUsage();
    final int crlSign = 6;
    if (issuer.getBasicConstraints() < 0 || (usage != null && !usage[crlSign])) {
      throw new IllegalArgumentException(
          issuer.getSubjectX500Principal() + " is not a CA certificate with the cRLSign key usage");
    }
    return new RevocationAuthority(issuer, key);
  }

  /** The issuing CA certificate whose certificates this authority revokes. */
  public X509Certificate issuer() {
    return issuer;
  }

  /**
   * The issuer's distinguished name in RFC 2253 form, the key revocation records are kept under.
   */
  public String issuerName() {
    return issuer.getSubjectX500Principal().getName();
  }

  /**
   * A CRL listing {@code revoked}, numbered {@code number}, valid from {@code thisUpdate} for
   * {@code validity}. Entries carry their revocation date and, unless unspecified (RFC 5280 says to
   * leave it out then), their reason code; the CRL carries the issuer's authority key identifier
   * and the cRLNumber.
   *
   * @throws CertsException if signing fails
   */
  public SignedCrl crl(
      BigInteger number, Collection<RevokedSerial> revoked, Instant thisUpdate, Duration validity) {
    Objects.requireNonNull(number, "number");
    Objects.requireNonNull(revoked, "revoked");
    Objects.requireNonNull(thisUpdate, "thisUpdate");
    Objects.requireNonNull(validity, "validity");
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity must be positive, got " + validity);
    }
    return crls.sign(number, revoked, thisUpdate, thisUpdate.plus(validity));
  }

  /**
   * Answers a DER {@code OCSPRequest}: for each CertID naming this issuer, "revoked" (with time and
   * reason) when {@code source} knows it revoked, else "good"; CertIDs naming another issuer are
   * "unknown". The request's nonce is echoed. Responses are valid from {@code now} for {@code
   * validity}. A request that does not parse, lists no certificate or more than {@link
   * #MAX_OCSP_REQUESTS} is answered with the {@code malformedRequest} status; never an exception.
   */
  public OcspAnswer ocsp(byte[] request, OcspStatusSource source, Instant now, Duration validity) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(validity, "validity");
    return ocsp.respond(request, source, now, validity);
  }

  /** The most CertIDs one OCSP request may ask about; OpenSSL and browsers send one. */
  public static final int MAX_OCSP_REQUESTS = OcspResponder.MAX_REQUESTS;
}

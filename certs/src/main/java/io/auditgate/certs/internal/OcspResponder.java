package io.auditgate.certs.internal;

import io.auditgate.certs.CertsException;
import io.auditgate.certs.OcspAnswer;
import io.auditgate.certs.OcspStatusSource;
import io.auditgate.certs.RevokedSerial;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * An RFC 6960 responder core for one issuing CA: DER request in, DER response out. The responder id
 * is by key hash (§4.2.2.3), the response signed by the CA and carrying the CA certificate. Every
 * failure is a response status ({@code malformedRequest}, {@code internalError}), never an
 * exception, because the HTTP layer must always answer with an OCSPResponse.
 *
 * <p>Thread-safety: immutable; safe from any thread.
 */
public final class OcspResponder {
  /** CertIDs one request may carry; more is treated as malformed (a cheap way to cost us work). */
  public static final int MAX_REQUESTS = 20;

  private final X509CertificateHolder issuer;
  private final PrivateKey key;
  private final DigestCalculatorProvider digests;
  private final PublicKey issuerPublicKey;

  public OcspResponder(X509Certificate issuer, PrivateKey key) {
    try {
      this.issuer = new JcaX509CertificateHolder(issuer);
      this.digests = new JcaDigestCalculatorProviderBuilder().build();
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new CertsException("cannot prepare the OCSP responder", e);
    }
    this.issuerPublicKey = issuer.getPublicKey();
    this.key = key;
  }

  public OcspAnswer respond(
      byte[] request, OcspStatusSource source, Instant now, Duration validity) {
    OCSPReq parsed;
    Req[] requests;
    try {
      parsed = new OCSPReq(request);
      requests = parsed.getRequestList();
    } catch (IOException | RuntimeException e) {
      // BC reports truncated or mistyped ASN.1 as IOException or as IllegalArgumentException /
      // ClassCastException from its ASN.1 layer: all of them mean the client sent garbage.
      return status(OCSPRespBuilder.MALFORMED_REQUEST, OcspAnswer.Status.MALFORMED_REQUEST);
    }
    if (requests.length == 0 || requests.length > MAX_REQUESTS) {
      return status(OCSPRespBuilder.MALFORMED_REQUEST, OcspAnswer.Status.MALFORMED_REQUEST);
    }
    try {
      BasicOCSPRespBuilder builder =
          new JcaBasicOCSPRespBuilder(issuerPublicKey, digests.get(CertificateID.HASH_SHA1));
      Date thisUpdate = Date.from(now);
      Date nextUpdate = Date.from(now.plus(validity));
      OcspAnswer.Status overall = OcspAnswer.Status.GOOD;
      for (Req req : requests) {
        CertificateID id = req.getCertID();
        CertificateStatus status;
        if (!matchesIssuer(id)) {
          status = new UnknownStatus();
          if (overall == OcspAnswer.Status.GOOD) {
            overall = OcspAnswer.Status.UNKNOWN;
          }
        } else {
          Optional<RevokedSerial> revoked = source.revoked(id.getSerialNumber());
          if (revoked.isPresent()) {
            status =
                new RevokedStatus(
                    Date.from(revoked.get().revokedAt()), revoked.get().reason().code());
            overall = OcspAnswer.Status.REVOKED;
          } else {
            status = CertificateStatus.GOOD;
          }
        }
        builder.addResponse(id, status, thisUpdate, nextUpdate, null);
      }
      Extension nonce = parsed.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
      if (nonce != null) {
        builder.setResponseExtensions(new Extensions(nonce));
      }
      ContentSigner signer = BouncyCastle.signer(key);
      BasicOCSPResp basic = builder.build(signer, new X509CertificateHolder[] {issuer}, thisUpdate);
      OCSPResp response = new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic);
      return new OcspAnswer(response.getEncoded(), overall);
    } catch (OCSPException | OperatorCreationException | IOException | RuntimeException e) {
      return status(OCSPRespBuilder.INTERNAL_ERROR, OcspAnswer.Status.INTERNAL_ERROR);
    }
  }

  /** Whether {@code id} names our issuer, whichever hash algorithm the client chose. */
  private boolean matchesIssuer(CertificateID id) {
    try {
      return id.matchesIssuer(issuer, digests);
    } catch (OCSPException e) {
      // A hash algorithm we cannot compute: we cannot say the certificate is ours.
      return false;
    }
  }

  private static OcspAnswer status(int code, OcspAnswer.Status status) {
    try {
      return new OcspAnswer(new OCSPRespBuilder().build(code, null).getEncoded(), status);
    } catch (OCSPException | IOException e) {
      throw new CertsException("cannot encode an OCSP status response", e);
    }
  }
}

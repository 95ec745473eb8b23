package io.auditgate.certs.internal;

import io.auditgate.certs.CertsException;
import io.auditgate.certs.RevocationReason;
import io.auditgate.certs.RevokedSerial;
import io.auditgate.certs.SignedCrl;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Signs X.509 v2 CRLs (RFC 5280 §5) for one issuing CA. The CRL's issuer is the CA's subject name
 * taken byte for byte from its certificate, so it matches the issuer field of every certificate the
 * CA signed (OpenSSL compares the encodings).
 *
 * <p>Thread-safety: immutable; safe from any thread.
 */
public final class CrlSigner {
  private final X509Certificate issuer;
  private final PrivateKey key;
  private final X500Name issuerName;

  public CrlSigner(X509Certificate issuer, PrivateKey key) {
    this.issuer = issuer;
    this.key = key;
    this.issuerName = X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
  }

  public SignedCrl sign(
      BigInteger number, Collection<RevokedSerial> revoked, Instant thisUpdate, Instant next) {
    X509v2CRLBuilder builder = new X509v2CRLBuilder(issuerName, Date.from(thisUpdate));
    builder.setNextUpdate(Date.from(next));
    try {
      for (RevokedSerial entry : revoked) {
        if (entry.reason() == RevocationReason.UNSPECIFIED) {
          // RFC 5280 §5.3.1: the reason code extension SHOULD be absent for "unspecified".
          builder.addCRLEntry(entry.serial(), Date.from(entry.revokedAt()), (Extensions) null);
        } else {
          ExtensionsGenerator extensions = new ExtensionsGenerator();
          extensions.addExtension(
              Extension.reasonCode, false, CRLReason.lookup(entry.reason().code()));
          builder.addCRLEntry(entry.serial(), Date.from(entry.revokedAt()), extensions.generate());
        }
      }
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer));
      builder.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
      ContentSigner signer = BouncyCastle.signer(key);
      byte[] der = builder.build(signer).getEncoded();
      return new SignedCrl(der, number, thisUpdate, next, revoked.size());
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new CertsException("cannot sign a CRL for " + issuerName, e);
    }
  }
}

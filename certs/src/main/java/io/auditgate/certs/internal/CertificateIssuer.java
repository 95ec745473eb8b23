package io.auditgate.certs.internal;

import io.auditgate.certs.CertsException;
import io.auditgate.certs.RevocationPointers;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Builds and signs X.509 v3 certificates with the extensions RFC 5280 and the CA/Browser Forum
 * baseline expect: CAs get critical basicConstraints and keyCertSign/cRLSign; leaves get
 * basicConstraints CA=false, a single-purpose EKU, and subject/authority key identifiers so that
 * path building works after the CA is renewed.
 */
public final class CertificateIssuer {
  private final SecureRandom random;

  public CertificateIssuer(SecureRandom random) {
    this.random = random;
  }

  /** A CA name: {@code CN=<cn>, O=<organization>}. */
  public static X500Name name(String commonName, String organization) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, organization)
        .addRDN(BCStyle.CN, commonName)
        .build();
  }

  public X509Certificate selfSignedRoot(
      X500Name subject, PublicKey publicKey, PrivateKey privateKey, Instant from, Instant to) {
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject, serial(), date(from), date(to), subject, publicKey);
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
    } catch (CertIOException | GeneralSecurityException e) {
      throw new CertsException("cannot build the root CA certificate", e);
    }
    return sign(builder, privateKey);
  }

  /** An intermediate CA that may issue leaves only (path length 0). */
  public X509Certificate issuingCa(
      X509Certificate root,
      PrivateKey rootKey,
      X500Name subject,
      PublicKey publicKey,
      Instant from,
      Instant to) {
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(root, serial(), date(from), date(to), subject, publicKey);
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(root));
    } catch (CertIOException | GeneralSecurityException e) {
      throw new CertsException("cannot build the issuing CA certificate", e);
    }
    return sign(builder, rootKey);
  }

  /** A TLS server certificate: EKU serverAuth, SAN DNS names and IP addresses. */
  public X509Certificate server(
      X509Certificate issuer,
      PrivateKey issuerKey,
      String commonName,
      List<String> dnsNames,
      List<InetAddress> ipAddresses,
      PublicKey publicKey,
      Instant from,
      Instant to) {
    List<GeneralName> names = new ArrayList<>();
    dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
    ipAddresses.forEach(
        ip -> names.add(new GeneralName(GeneralName.iPAddress, ip.getHostAddress())));
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    return leaf(
        issuer,
        issuerKey,
        subject,
        publicKey,
        names,
        KeyPurposeId.id_kp_serverAuth,
        from,
        to,
        RevocationPointers.NONE);
  }

  /** A device (TLS client) certificate: CN = device id, SAN URI, EKU clientAuth. */
  public X509Certificate device(
      X509Certificate issuer,
      PrivateKey issuerKey,
      String deviceId,
      String deviceUri,
      PublicKey publicKey,
      Instant from,
      Instant to) {
    return device(
        issuer, issuerKey, deviceId, deviceUri, publicKey, from, to, RevocationPointers.NONE);
  }

  /** The same, pointing relying parties at the CRL and OCSP responder in {@code pointers}. */
  public X509Certificate device(
      X509Certificate issuer,
      PrivateKey issuerKey,
      String deviceId,
      String deviceUri,
      PublicKey publicKey,
      Instant from,
      Instant to,
      RevocationPointers pointers) {
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, deviceId).build();
    return leaf(
        issuer,
        issuerKey,
        subject,
        publicKey,
        List.of(new GeneralName(GeneralName.uniformResourceIdentifier, deviceUri)),
        KeyPurposeId.id_kp_clientAuth,
        from,
        to,
        pointers);
  }

  private X509Certificate leaf(
      X509Certificate issuer,
      PrivateKey issuerKey,
      X500Name subject,
      PublicKey publicKey,
      List<GeneralName> subjectAltNames,
      KeyPurposeId purpose,
      Instant from,
      Instant to,
      RevocationPointers pointers) {
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(issuer, serial(), date(from), date(to), subject, publicKey);
    // RSA keys may also be used for RSA key transport; ECDSA keys only ever sign in TLS.
    int usage =
        publicKey.getAlgorithm().equals("RSA")
            ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
            : KeyUsage.digitalSignature;
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(subjectAltNames.toArray(GeneralName[]::new)));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer));
      if (pointers.crlUrl().isPresent()) {
        GeneralNames crl = new GeneralNames(uri(pointers.crlUrl().get()));
        builder.addExtension(
            Extension.cRLDistributionPoints,
            false,
            new CRLDistPoint(
                new DistributionPoint[] {
                  new DistributionPoint(new DistributionPointName(crl), null, null)
                }));
      }
      if (pointers.ocspUrl().isPresent()) {
        builder.addExtension(
            Extension.authorityInfoAccess,
            false,
            new AuthorityInformationAccess(
                X509ObjectIdentifiers.ocspAccessMethod, uri(pointers.ocspUrl().get())));
      }
    } catch (CertIOException | GeneralSecurityException e) {
      throw new CertsException("cannot build a certificate for " + subject, e);
    }
    return sign(builder, issuerKey);
  }

  private static GeneralName uri(URI uri) {
    return new GeneralName(GeneralName.uniformResourceIdentifier, uri.toString());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(BouncyCastle.signer(issuerKey)));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new CertsException("cannot sign a certificate", e);
    }
  }

  /**
   * A random positive serial of up to 159 bits: unpredictable (so a chosen-prefix collision cannot
   * be aimed at it; the CA/Browser Forum asks for at least 64 random bits) and, being below 2^159,
   * at most 20 octets in DER with its sign bit clear, RFC 5280's limit.
   */
  private BigInteger serial() {
    BigInteger serial;
    do {
      serial = new BigInteger(159, random);
    } while (serial.signum() == 0);
    return serial;
  }

  private static Date date(Instant instant) {
    return Date.from(instant);
  }
}

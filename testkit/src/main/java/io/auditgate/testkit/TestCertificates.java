package io.auditgate.testkit;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates the development CA will not make (RSA 1024, SHA-1, self-signed strangers, leaves
 * signed by non-CAs), built with Bouncy Castle for tests.
 */
public final class TestCertificates {
  private static final AtomicLong serials = new AtomicLong(1000);

  private TestCertificates() {}

  public static KeyPair rsa(int bits) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits);
    return g.generateKeyPair();
  }

  public static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  public static X509Certificate selfSigned(
      String dn, KeyPair keys, String signatureAlgorithm, Instant from, Instant to, boolean ca)
      throws Exception {
    return build(
        new X500Name(dn),
        keys.getPrivate(),
        new X500Name(dn),
        keys,
        signatureAlgorithm,
        from,
        to,
        ca,
        List.of());
  }

  public static X509Certificate signed(
      X509Certificate issuer,
      PrivateKey issuerKey,
      String dn,
      KeyPair keys,
      String signatureAlgorithm,
      Instant from,
      Instant to,
      boolean ca,
      List<GeneralName> sans)
      throws Exception {
    return build(
        X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()),
        issuerKey,
        new X500Name(dn),
        keys,
        signatureAlgorithm,
        from,
        to,
        ca,
        sans);
  }

  private static X509Certificate build(
      X500Name issuer,
      PrivateKey issuerKey,
      X500Name subject,
      KeyPair keys,
      String signatureAlgorithm,
      Instant from,
      Instant to,
      boolean ca,
      List<GeneralName> sans)
      throws Exception {
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            issuer,
            BigInteger.valueOf(serials.incrementAndGet()),
            Date.from(from),
            Date.from(to),
            subject,
            keys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (!sans.isEmpty()) {
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(new ArrayList<>(sans).toArray(GeneralName[]::new)));
    }
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder(signatureAlgorithm).build(issuerKey)));
  }
}

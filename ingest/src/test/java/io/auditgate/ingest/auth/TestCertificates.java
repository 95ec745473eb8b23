package io.auditgate.ingest.auth;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates with the names the development CA never writes (CN only, conflicting names, bad
 * ids), to test how the authenticator reads names. Self-signed: the authenticator's job starts
 * after the handshake has verified the chain, so the issuer does not matter here.
 */
final class TestCertificates {
  private static final KeyPair KEYS = keys();

  private TestCertificates() {}

  static Builder subject(String subject) {
    return new Builder(subject);
  }

  static final class Builder {
    private final String subject;
    private final List<String> uris = new ArrayList<>();
    private KeyPurposeId purpose = KeyPurposeId.id_kp_clientAuth;
    private Instant notBefore = Instant.parse("2026-01-01T00:00:00Z");
    private Instant notAfter = Instant.parse("2027-01-01T00:00:00Z");

    private Builder(String subject) {
      this.subject = subject;
    }

    Builder uri(String uri) {
      uris.add(uri);
      return this;
    }

    Builder purpose(KeyPurposeId value) {
      purpose = value;
      return this;
    }

    Builder valid(Instant from, Instant to) {
      notBefore = from;
      notAfter = to;
      return this;
    }

    X509Certificate build() {
      try {
        X500Name name = new X500Name(subject);
        JcaX509v3CertificateBuilder builder =
            new JcaX509v3CertificateBuilder(
                name,
                BigInteger.valueOf(System.nanoTime()),
                Date.from(notBefore),
                Date.from(notAfter),
                name,
                KEYS.getPublic());
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        if (!uris.isEmpty()) {
          builder.addExtension(
              Extension.subjectAlternativeName,
              false,
              new GeneralNames(
                  uris.stream()
                      .map(u -> new GeneralName(GeneralName.uniformResourceIdentifier, u))
                      .toArray(GeneralName[]::new)));
        }
        return new JcaX509CertificateConverter()
            .getCertificate(
                builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(KEYS.getPrivate())));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static KeyPair keys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

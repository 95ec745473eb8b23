package io.auditgate.ingest.http;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI for the tests, made with Bouncy Castle: a CA, a server certificate for {@code
 * 127.0.0.1}, and device client certificates named by their subject CN. ECDSA P-256 throughout.
 */
final class TestPki {
  private static final char[] PASSWORD = "test".toCharArray();
  private static final AtomicLong SERIALS = new AtomicLong(1);

  /** A key and the certificate chain (leaf first) that goes with it. */
  record Credential(PrivateKey key, X509Certificate[] chain) {}

  private final KeyPair caKeys;
  private final X500Name caName;
  private final X509Certificate caCertificate;
  private final Credential server;

  private TestPki(String caName) {
    caKeys = newKeyPair();
    this.caName = new X500Name("CN=" + caName);
    X500Name ca = this.caName;
    caCertificate =
        sign(
            ca,
            ca,
            caKeys.getPublic(),
            builder -> {
              builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
              builder.addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            });
    KeyPair serverKeys = newKeyPair();
    X509Certificate serverCertificate =
        sign(
            ca,
            new X500Name("CN=auditgate test gateway"),
            serverKeys.getPublic(),
            builder -> {
              builder.addExtension(
                  Extension.subjectAlternativeName,
                  false,
                  new GeneralNames(
                      new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.dNSName, "localhost")
                      }));
              builder.addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
              builder.addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            });
    server = new Credential(serverKeys.getPrivate(), new X509Certificate[] {serverCertificate});
  }

  static TestPki create(String caName) {
    return new TestPki(caName);
  }

  X509Certificate caCertificate() {
    return caCertificate;
  }

  /** A client certificate with subject {@code CN=commonName}, issued by this CA. */
  Credential device(String commonName) {
    KeyPair keys = newKeyPair();
    X509Certificate certificate =
        sign(
            caName,
            new X500Name("CN=" + commonName),
            keys.getPublic(),
            builder -> {
              builder.addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
              builder.addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            });
    return new Credential(keys.getPrivate(), new X509Certificate[] {certificate, caCertificate});
  }

  /**
   * The listener's context: this CA's server certificate, client certificates optional and verified
   * against this CA, and exactly the given protocols enabled.
   */
  SslContext serverContext(String... protocols) {
    try {
      return SslContextBuilder.forServer(server.key(), server.chain())
          .sslProvider(SslProvider.JDK)
          .trustManager(caCertificate)
          .clientAuth(ClientAuth.OPTIONAL)
          .protocols(protocols.length == 0 ? new String[] {"TLSv1.3", "TLSv1.2"} : protocols)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A device's JDK context: trusts this CA, and presents {@code credential} if not null. */
  SSLContext clientContext(Credential credential) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", caCertificate);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyManagerFactory kmf = null;
      if (credential != null) {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("device", credential.key(), PASSWORD, credential.chain());
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private interface Extensions {
    void add(X509v3CertificateBuilder builder) throws IOException;
  }

  private X509Certificate sign(
      X500Name issuer, X500Name subject, PublicKey key, Extensions extensions) {
    Instant now = Instant.now();
    try {
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              BigInteger.valueOf(SERIALS.getAndIncrement()),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(1))),
              subject,
              key);
      extensions.add(builder);
      ContentSigner signer =
          new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (IOException | OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}

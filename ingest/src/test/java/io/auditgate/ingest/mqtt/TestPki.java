package io.auditgate.ingest.mqtt;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
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
 * A throw-away PKI for TLS tests, made with Bouncy Castle: an ECDSA P-256 CA, a server certificate
 * for localhost and 127.0.0.1, and client certificates whose subject CN names a device.
 */
final class TestPki {
  private static final char[] NO_PASSWORD = "changeit".toCharArray();
  private static final AtomicLong SERIALS = new AtomicLong(1);

  /** A key pair and the certificate the CA issued for it. */
  record Issued(KeyPair keys, X509Certificate certificate) {}

  private final KeyPair caKeys;
  private final X509Certificate caCertificate;
  private final Issued server;

  private TestPki() throws GeneralSecurityException {
    caKeys = keyPair();
    X500Name ca = new X500Name("CN=auditgate test CA");
    X509v3CertificateBuilder builder = builder(ca, ca, caKeys);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    caCertificate = sign(builder);
    server = issue("localhost", true);
  }

  static TestPki create() {
    try {
      return new TestPki();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A certificate for {@code commonName}, signed by the CA. */
  Issued issue(String commonName, boolean forServer) throws GeneralSecurityException {
    KeyPair keys = keyPair();
    X509v3CertificateBuilder builder =
        builder(new X500Name("CN=auditgate test CA"), new X500Name("CN=" + commonName), keys);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      KeyPurposeId purpose =
          forServer ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth;
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      if (forServer) {
        GeneralName[] names = {
          new GeneralName(GeneralName.dNSName, "localhost"),
          new GeneralName(GeneralName.iPAddress, "127.0.0.1")
        };
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    return new Issued(keys, sign(builder));
  }

  Issued client(String commonName) {
    try {
      return issue(commonName, false);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The listener's TLS context: its certificate, trusting the CA for client certificates. */
  SslContext serverContext(ClientAuth clientAuth) {
    try {
      return SslContextBuilder.forServer(
              server.keys().getPrivate(), server.certificate(), caCertificate)
          .trustManager(caCertificate)
          .clientAuth(clientAuth)
          .protocols("TLSv1.3", "TLSv1.2")
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client socket factory trusting the CA, presenting {@code certificate} if given. */
  SSLSocketFactory clientSockets(Optional<Issued> certificate) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", caCertificate);
      TrustManagerFactory trustManagers =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trust);
      KeyManagerFactory keyManagers =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      if (certificate.isPresent()) {
        keys.setKeyEntry(
            "client",
            certificate.get().keys().getPrivate(),
            NO_PASSWORD,
            new X509Certificate[] {certificate.get().certificate(), caCertificate});
      }
      keyManagers.init(keys, NO_PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIALS.getAndIncrement()),
        Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(Duration.ofDays(1))),
        subject,
        keys.getPublic());
  }

  private X509Certificate sign(X509v3CertificateBuilder builder) throws GeneralSecurityException {
    try {
      ContentSigner signer =
          new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }
}

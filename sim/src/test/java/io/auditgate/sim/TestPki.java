package io.auditgate.sim;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
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
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI for TLS tests, written as PEM files: a CA, a server certificate for {@code
 * 127.0.0.1}, and client certificates (valid, expired, or from another CA). EC P-256 throughout.
 */
final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  private final Path dir;
  private final KeyPair caKey;
  private final X509Certificate ca;
  private final X500Name caName;

  private TestPki(Path dir, String name) throws Exception {
    this.dir = Files.createDirectories(dir);
    this.caKey = keyPair();
    this.caName = new X500Name("CN=" + name);
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            caName,
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(now.minus(Duration.ofDays(1))),
            Date.from(now.plus(Duration.ofDays(30))),
            caName,
            caKey.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    this.ca = sign(builder, caKey);
    writeCertificate(ca, dir.resolve("ca.crt"));
  }

  static TestPki create(Path dir, String name) throws Exception {
    return new TestPki(dir, name);
  }

  Path caCertificate() {
    return dir.resolve("ca.crt");
  }

  /** A server certificate for 127.0.0.1 and localhost: {@code server.crt}, {@code server.key}. */
  void server() throws Exception {
    issue(
        "server",
        "127.0.0.1",
        Instant.now().minus(Duration.ofDays(1)),
        Instant.now().plus(Duration.ofDays(30)),
        KeyPurposeId.id_kp_serverAuth,
        dir);
  }

  /** A client certificate {@code {name}.crt} and PKCS#8 key {@code {name}.key} in {@code out}. */
  void client(String name, Instant notBefore, Instant notAfter, Path out) throws Exception {
    issue(name, name, notBefore, notAfter, KeyPurposeId.id_kp_clientAuth, out);
  }

  void client(String name, Path out) throws Exception {
    client(
        name,
        Instant.now().minus(Duration.ofDays(1)),
        Instant.now().plus(Duration.ofDays(30)),
        out);
  }

  private void issue(
      String file,
      String commonName,
      Instant notBefore,
      Instant notAfter,
      KeyPurposeId use,
      Path out)
      throws Exception {
    KeyPair key = keyPair();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            caName,
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(notBefore),
            Date.from(notAfter),
            new X500Name("CN=" + commonName),
            key.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(use));
    if (use == KeyPurposeId.id_kp_serverAuth) {
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.dNSName, "localhost")
              }));
    }
    Files.createDirectories(out);
    writeCertificate(sign(builder, caKey), out.resolve(file + ".crt"));
    Files.writeString(
        out.resolve(file + ".key"),
        pem("PRIVATE KEY", key.getPrivate().getEncoded()),
        StandardCharsets.US_ASCII);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws GeneralSecurityException, OperatorCreationException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static void writeCertificate(X509Certificate certificate, Path file)
      throws IOException, GeneralSecurityException {
    Files.writeString(
        file, pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}

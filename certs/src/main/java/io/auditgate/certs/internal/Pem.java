package io.auditgate.certs.internal;

import io.auditgate.certs.CertsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * PEM encoding of certificates and PKCS#8 private keys. Encrypted keys use PBES2 with
 * PBKDF2-HMAC-SHA256 and AES-256-CBC ({@code ENCRYPTED PRIVATE KEY}), which OpenSSL 1.1+, the JDK
 * and Netty all read; never the legacy OpenSSL {@code Proc-Type} encryption.
 */
public final class Pem {
  /**
   * PBKDF2 rounds for an encrypted key: OWASP's 2023 figure for PBKDF2-HMAC-SHA256. Paid once per
   * load, so it may be slow.
   */
  public static final int KEY_ENCRYPTION_ITERATIONS = 600_000;

  /** Used by instance, never registered globally, so the JVM's provider list stays the JDK's. */
  private static final Provider BC = BouncyCastle.PROVIDER;

  private Pem() {}

  /** What reading a private key found. */
  public sealed interface KeyRead {
    record Key(PrivateKey key) implements KeyRead {}

    record PassphraseRequired() implements KeyRead {}

    record WrongPassphrase() implements KeyRead {}
  }

  public static String certificates(List<X509Certificate> certificates) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (X509Certificate certificate : certificates) {
        writer.writeObject(certificate);
      }
    } catch (IOException e) {
      throw new CertsException("cannot encode a certificate as PEM", e);
    }
    return out.toString();
  }

  /** The key as PKCS#8 PEM, encrypted when a passphrase is given. */
  public static String privateKey(
      PrivateKey key, Optional<char[]> passphrase, SecureRandom random) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      OutputEncryptor encryptor = null;
      if (passphrase.isPresent()) {
        encryptor =
            new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                .setProvider(BC)
                .setRandom(random)
                .setPRF(PKCS8Generator.PRF_HMACSHA256)
                .setIterationCount(KEY_ENCRYPTION_ITERATIONS)
                .setPassword(passphrase.get())
                .build();
      }
      // Not writer.writeObject(key): that writes the legacy "EC PRIVATE KEY" form, not PKCS#8.
      writer.writeObject(new JcaPKCS8Generator(key, encryptor));
    } catch (IOException | OperatorCreationException e) {
      throw new CertsException("cannot encode a private key as PKCS#8 PEM", e);
    }
    return out.toString();
  }

  public static List<X509Certificate> readCertificates(Path file) {
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      List<X509Certificate> certificates = new ArrayList<>();
      for (Certificate c :
          factory.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)))) {
        certificates.add((X509Certificate) c);
      }
      if (certificates.isEmpty()) {
        throw new CertsException(file + " holds no PEM certificate");
      }
      return certificates;
    } catch (NoSuchFileException e) {
      throw new CertsException(file + " is missing", e);
    } catch (IOException | CertificateException e) {
      throw new CertsException("cannot read certificates from " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads a PKCS#8 key, decrypting it if it is encrypted and a passphrase is given. */
  public static KeyRead readPrivateKey(Path file, Optional<char[]> passphrase) {
    Object parsed;
    try (PEMParser parser =
        new PEMParser(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
      parsed = parser.readObject();
    } catch (NoSuchFileException e) {
      throw new CertsException(file + " is missing", e);
    } catch (IOException e) {
      throw new CertsException("cannot read a private key from " + file, e);
    }
    PrivateKeyInfo info;
    if (parsed instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
      if (passphrase.isEmpty()) {
        return new KeyRead.PassphraseRequired();
      }
      try {
        info =
            encrypted.decryptPrivateKeyInfo(
                new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(BC)
                    .build(passphrase.get()));
      } catch (PKCSException | OperatorCreationException | IllegalArgumentException e) {
        // A wrong passphrase shows as bad padding or, rarely, as padding that happens to be valid
        // around bytes that are not a key; both mean the same to the operator.
        return new KeyRead.WrongPassphrase();
      }
    } else if (parsed instanceof PrivateKeyInfo plain) {
      info = plain;
    } else {
      throw new CertsException(
          file
              + " is not a PKCS#8 private key (PEM 'PRIVATE KEY' or 'ENCRYPTED PRIVATE KEY'), found"
              + " "
              + (parsed == null ? "nothing" : parsed.getClass().getSimpleName()));
    }
    try {
      return new KeyRead.Key(new JcaPEMKeyConverter().getPrivateKey(info));
    } catch (IOException e) {
      throw new CertsException("cannot decode the private key in " + file, e);
    }
  }
}

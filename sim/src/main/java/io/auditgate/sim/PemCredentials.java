package io.auditgate.sim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Loads PEM certificates and keys with the JDK alone, so that the simulator needs nothing from the
 * CA that issued them. Private keys must be PKCS#8 ({@code BEGIN PRIVATE KEY}), EC or RSA; convert
 * others with {@code openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem}.
 */
public final class PemCredentials {
  private static final Pattern PKCS8 =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final char[] NO_PASSWORD = new char[0];

  private PemCredentials() {}

  /**
   * Trust anchors from a PEM bundle of CA certificates.
   *
   * @throws UnableToLoadCredentialsException if the file is unreadable or holds no certificate
   */
  public static TrustManagerFactory trustManagerFactory(Path caCertificates) {
    try {
      List<Certificate> certificates = certificates(caCertificates);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < certificates.size(); i++) {
        store.setCertificateEntry("ca-" + i, certificates.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory;
    } catch (IOException | GeneralSecurityException e) {
      throw new UnableToLoadCredentialsException(caCertificates, e.toString(), e);
    }
  }

  /**
   * A client identity from a PEM certificate (followed by its chain, if any) and a PEM PKCS#8
   * private key.
   *
   * @throws UnableToLoadCredentialsException if either file is unreadable or not of that form
   */
  public static KeyManagerFactory keyManagerFactory(Path certificate, Path privateKey) {
    List<Certificate> chain;
    try {
      chain = certificates(certificate);
    } catch (IOException | GeneralSecurityException e) {
      throw new UnableToLoadCredentialsException(certificate, e.toString(), e);
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "device", privateKey(privateKey), NO_PASSWORD, chain.toArray(new Certificate[0]));
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, NO_PASSWORD);
      return factory;
    } catch (IOException | GeneralSecurityException e) {
      throw new UnableToLoadCredentialsException(privateKey, e.toString(), e);
    }
  }

  private static List<Certificate> certificates(Path file)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      List<Certificate> certificates =
          List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
      if (certificates.isEmpty()) {
        throw new GeneralSecurityException("no certificate in it");
      }
      return certificates;
    }
  }

  private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    Matcher m = PKCS8.matcher(pem);
    if (!m.find()) {
      throw new GeneralSecurityException(
          "no PKCS#8 'BEGIN PRIVATE KEY' block; convert with"
              + " openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem");
    }
    PKCS8EncodedKeySpec spec =
        new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1).strip()));
    GeneralSecurityException last = null;
    for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw new GeneralSecurityException("not an EC, RSA or Ed25519 key", last);
  }
}

package io.auditgate.certs;

import io.auditgate.certs.internal.AtomicFiles;
import io.auditgate.certs.internal.Pem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A certificate the development CA issued, with its new private key.
 *
 * @param chain the certificate first, then the issuing CA: what a TLS peer sends. The root is left
 *     out; peers hold it as their trust anchor ({@code root-ca.crt}).
 * @param privateKey the certificate's private key
 */
public record IssuedCertificate(List<X509Certificate> chain, PrivateKey privateKey) {
  private static final Pattern FILE_NAME = Pattern.compile("^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}$");

  public IssuedCertificate {
    chain = List.copyOf(chain);
    Objects.requireNonNull(privateKey, "privateKey");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("an issued certificate has a chain of at least one");
    }
  }

  public X509Certificate certificate() {
    return chain.get(0);
  }

  /** Lower-case hex SHA-256 of the certificate's DER encoding, as the listeners report it. */
  public String sha256Fingerprint() {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new CertsException("cannot fingerprint a certificate", e);
    }
  }

  /** Writes {@code <dir>/<name>.crt} (chain) and {@code <dir>/<name>.key} (unencrypted PKCS#8). */
  public PemFiles writePem(Path dir, String name) {
    return writePem(dir, name, Optional.empty());
  }

  /**
   * Writes {@code <dir>/<name>.crt} (chain) and {@code <dir>/<name>.key} (PKCS#8, encrypted with
   * PBES2/AES-256 when a passphrase is given; mode 0600). Existing files are replaced atomically.
   */
  public PemFiles writePem(Path dir, String name, Optional<char[]> keyPassphrase) {
    checkName(name);
    PemFiles files = new PemFiles(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
    AtomicFiles.write(
        files.privateKey(),
        Pem.privateKey(privateKey, keyPassphrase, new SecureRandom())
            .getBytes(StandardCharsets.US_ASCII),
        true);
    AtomicFiles.write(
        files.certificateChain(),
        Pem.certificates(chain).getBytes(StandardCharsets.US_ASCII),
        false);
    return files;
  }

  /**
   * Writes a PKCS#12 file holding the key and chain under the alias {@code alias}, protected by
   * {@code password} (the JDK's PKCS#12 defaults), for clients that want a keystore.
   */
  public Path writePkcs12(Path file, String alias, char[] password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(alias, privateKey, password, chain.toArray(X509Certificate[]::new));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      store.store(out, password);
      AtomicFiles.write(file, out.toByteArray(), true);
      return file;
    } catch (CertificateEncodingException e) {
      throw new CertsException("cannot encode " + certificate().getSubjectX500Principal(), e);
    } catch (GeneralSecurityException | IOException e) {
      throw new CertsException("cannot build a PKCS#12 keystore for " + file, e);
    }
  }

  private static void checkName(String name) {
    // The name becomes a file name: no separators, no "..", no hidden files.
    if (!FILE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "file name must match " + FILE_NAME + ", got '" + name + "'");
    }
  }
}

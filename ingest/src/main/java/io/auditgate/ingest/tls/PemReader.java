package io.auditgate.ingest.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads PEM certificates and PKCS#8 private keys with the JDK alone, so the listeners need no
 * Bouncy Castle. Keys: {@code PRIVATE KEY} (EC, RSA or EdDSA) and {@code ENCRYPTED PRIVATE KEY}
 * (PBES2, as OpenSSL 1.1+ and the development CA write them). The legacy OpenSSL forms ({@code EC
 * PRIVATE KEY}, {@code RSA PRIVATE KEY}) are refused with the command that converts them.
 */
public final class PemReader {
  private static final Pattern BLOCK =
      Pattern.compile(
          "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----", Pattern.DOTALL);
  private static final String PBES2_OID = "1.2.840.113549.1.5.13";
  private static final List<String> KEY_TYPES = List.of("EC", "RSA", "EdDSA", "RSASSA-PSS");

  private PemReader() {}

  /** Every certificate in the file, in order (a chain is leaf first). */
  public static List<X509Certificate> readCertificates(Path file) {
    byte[] bytes = read(file);
    try {
      List<X509Certificate> certificates = new ArrayList<>();
      for (Certificate c :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(bytes))) {
        certificates.add((X509Certificate) c);
      }
      if (certificates.isEmpty()) {
        throw new UnableToLoadTlsMaterialException(file, "holds no PEM certificate");
      }
      return certificates;
    } catch (CertificateException e) {
      throw new UnableToLoadTlsMaterialException(
          file, "is not a PEM certificate file: " + e.getMessage(), e);
    }
  }

  /**
   * The first private key in the file.
   *
   * @param password decrypts an {@code ENCRYPTED PRIVATE KEY}; ignored for a plain one
   */
  public static PrivateKey readPrivateKey(Path file, Optional<char[]> password) {
    String text = new String(read(file), StandardCharsets.US_ASCII);
    Matcher block = BLOCK.matcher(text);
    while (block.find()) {
      String type = block.group(1);
      byte[] der = Base64.getMimeDecoder().decode(block.group(2));
      switch (type) {
        case "PRIVATE KEY" -> {
          return decode(file, new PKCS8EncodedKeySpec(der));
        }
        case "ENCRYPTED PRIVATE KEY" -> {
          return decode(file, decrypt(file, der, password));
        }
        case "EC PRIVATE KEY", "RSA PRIVATE KEY" ->
            throw new UnableToLoadTlsMaterialException(
                file,
                "holds a legacy OpenSSL '"
                    + type
                    + "'; convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in "
                    + file.getFileName()
                    + " -out key.pk8.pem");
        default -> {
          // Certificates or parameters next to the key: skip them.
        }
      }
    }
    throw new UnableToLoadTlsMaterialException(
        file, "holds no PEM 'PRIVATE KEY' or 'ENCRYPTED PRIVATE KEY'");
  }

  private static PKCS8EncodedKeySpec decrypt(Path file, byte[] der, Optional<char[]> password) {
    if (password.isEmpty()) {
      throw new UnableToLoadTlsMaterialException(
          file, "is encrypted, and no password was given for it");
    }
    try {
      EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
      AlgorithmParameters params = info.getAlgParameters();
      // For PBES2 the JDK names the scheme through its parameters, e.g.
      // "PBEWithHmacSHA256AndAES_256"; older PBES1 schemes are named by the algorithm itself.
      String algorithm =
          PBES2_OID.equals(info.getAlgName()) || "PBES2".equals(info.getAlgName())
              ? params.toString()
              : info.getAlgName();
      SecretKey key =
          SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(password.get()));
      Cipher cipher = Cipher.getInstance(algorithm);
      cipher.init(Cipher.DECRYPT_MODE, key, params);
      return info.getKeySpec(cipher);
    } catch (InvalidKeySpecException e) {
      // Bad padding after decryption surfaces here: the password is wrong.
      throw new UnableToLoadTlsMaterialException(file, "the password does not decrypt it", e);
    } catch (IOException | GeneralSecurityException e) {
      throw new UnableToLoadTlsMaterialException(
          file, "cannot decrypt it (" + e.getMessage() + ")", e);
    }
  }

  private static PrivateKey decode(Path file, PKCS8EncodedKeySpec spec) {
    // PKCS#8 names its algorithm inside the DER; asking each key factory in turn is the JDK-only
    // way to read that name, and a factory refuses a key that is not its type.
    for (String type : KEY_TYPES) {
      try {
        return KeyFactory.getInstance(type).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // not this type
      }
    }
    throw new UnableToLoadTlsMaterialException(
        file, "holds a PKCS#8 key of a type this JDK cannot read, or a wrong password");
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new UnableToLoadTlsMaterialException(file, "no such file", e);
    } catch (IOException e) {
      throw new UnableToLoadTlsMaterialException(file, "cannot read: " + e.getMessage(), e);
    }
  }
}

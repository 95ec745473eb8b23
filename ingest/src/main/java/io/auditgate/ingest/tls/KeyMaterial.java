package io.auditgate.ingest.tls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A private key and the certificate chain it proves: what one side of a TLS handshake presents.
 *
 * @param privateKey the key of {@code chain.get(0)}
 * @param chain leaf first, then its issuers (the root may be left out)
 */
public record KeyMaterial(PrivateKey privateKey, List<X509Certificate> chain) {
  public KeyMaterial {
    Objects.requireNonNull(privateKey, "privateKey");
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a certificate chain needs at least one certificate");
    }
  }

  /**
   * Reads a PEM chain and a PKCS#8 PEM key and checks that the key belongs to the chain's first
   * certificate, so a mix-up shows at start-up rather than as failed handshakes.
   *
   * @throws UnableToLoadTlsMaterialException naming the file at fault
   */
  public static KeyMaterial read(Path chainFile, Path keyFile, Optional<char[]> keyPassword) {
    List<X509Certificate> chain = PemReader.readCertificates(chainFile);
    PrivateKey key = PemReader.readPrivateKey(keyFile, keyPassword);
    if (!belongsTo(key, chain.get(0))) {
      throw new UnableToLoadTlsMaterialException(
          keyFile,
          "is not the key of the first certificate in "
              + chainFile
              + " ("
              + chain.get(0).getSubjectX500Principal()
              + ")");
    }
    return new KeyMaterial(key, chain);
  }

  /** Whether {@code key} signs what the certificate's public key verifies. */
  static boolean belongsTo(PrivateKey key, X509Certificate certificate) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
          default -> null;
        };
    if (algorithm == null) {
      return false;
    }
    try {
      byte[] probe = "auditgate key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      // A key of one type and a certificate of another land here: they do not belong together.
      return false;
    }
  }
}

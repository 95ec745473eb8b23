package io.auditgate.certs;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/**
 * Key types the development CA generates. ECDSA P-256 is the default: small keys and fast
 * handshakes on constrained devices. RSA is there for peers that cannot do ECDSA.
 */
public enum KeyAlgorithm {
  EC_P256("EC", 256),
  /** ECDSA P-384, for devices whose policy asks for a larger curve. */
  EC_P384("EC", 384),
  RSA_2048("RSA", 2048),
  RSA_3072("RSA", 3072),
  RSA_4096("RSA", 4096);

  private final String jcaName;
  private final int bits;

  KeyAlgorithm(String jcaName, int bits) {
    this.jcaName = jcaName;
    this.bits = bits;
  }

  /** A fresh key pair; the JDK's own provider generates it. */
  public KeyPair generate(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(jcaName);
      if (isRsa()) {
        generator.initialize(bits, random);
      } else {
        generator.initialize(
            new ECGenParameterSpec(bits == 384 ? "secp384r1" : "secp256r1"), random);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new CertsException("this JDK cannot generate " + this + " keys", e);
    }
  }

  public boolean isRsa() {
    return jcaName.equals("RSA");
  }

  /** The signature algorithm a CA holding {@code key} signs with. */
  public static String signatureAlgorithmFor(PrivateKey key) {
    return switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default -> throw new CertsException("unsupported CA key type " + key.getAlgorithm());
    };
  }
}

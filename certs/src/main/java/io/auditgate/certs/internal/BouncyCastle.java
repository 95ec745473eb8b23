package io.auditgate.certs.internal;

import io.auditgate.certs.KeyAlgorithm;
import java.security.PrivateKey;
import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The one Bouncy Castle provider the certs module signs, verifies and reads keys with, used by
 * instance and never installed in the JVM's provider list (so nothing else changes behaviour).
 * Signing through it rather than the JDK's default: on JDK 17 its ECDSA P-256 signature is about
 * twice as fast as SunEC's, which is most of the cost of issuing a certificate (measured with
 * {@code auditgate bench certs}).
 */
public final class BouncyCastle {
  public static final Provider PROVIDER = new BouncyCastleProvider();

  private BouncyCastle() {}

  /** A signer for {@code key} with the signature algorithm its type calls for. */
  public static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
    return new JcaContentSignerBuilder(KeyAlgorithm.signatureAlgorithmFor(key))
        .setProvider(PROVIDER)
        .build(key);
  }
}

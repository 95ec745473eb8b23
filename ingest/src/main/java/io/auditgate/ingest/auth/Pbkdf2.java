package io.auditgate.ingest.auth;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) over raw bytes. Not the JDK's {@code PBKDF2WithHmacSHA256}:
 * that one takes the password as {@code char[]}, but an MQTT password is binary and decoding it as
 * text first would map different byte strings to the same password.
 */
final class Pbkdf2 {
  private static final int SHA256_BYTES = 32;

  private Pbkdf2() {}

  static byte[] hmacSha256(byte[] password, byte[] salt, int iterations, int length) {
    if (iterations < 1 || length < 1 || password.length == 0) {
      // An empty password would be an empty HMAC key, which the JCA refuses.
      throw new IllegalArgumentException("password, iterations and length must not be empty");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(password, "HmacSHA256"));
      byte[] out = new byte[length];
      byte[] u = new byte[SHA256_BYTES];
      byte[] t = new byte[SHA256_BYTES];
      int blocks = (length + SHA256_BYTES - 1) / SHA256_BYTES;
      for (int block = 1; block <= blocks; block++) {
        mac.update(salt);
        mac.update(
            new byte[] {
              (byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block
            });
        mac.doFinal(u, 0);
        System.arraycopy(u, 0, t, 0, SHA256_BYTES);
        for (int i = 1; i < iterations; i++) {
          mac.update(u);
          mac.doFinal(u, 0);
          for (int j = 0; j < SHA256_BYTES; j++) {
            t[j] ^= u[j];
          }
        }
        int offset = (block - 1) * SHA256_BYTES;
        System.arraycopy(t, 0, out, offset, Math.min(SHA256_BYTES, length - offset));
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK lacks HmacSHA256", e);
    }
  }
}

package io.auditgate.web.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The token string format: {@code agt_} followed by 32 random bytes in unpadded base64url (43
 * characters). The prefix makes a leaked token recognisable to secret scanners; the 256 random bits
 * make guessing hopeless, which is why a plain SHA-256 (no salt, no stretching) is enough at rest.
 * Thread-safe.
 */
public final class TokenSecret {
  public static final String PREFIX = "agt_";
  private static final Pattern FORMAT = Pattern.compile("^agt_[A-Za-z0-9_-]{43}$");
  private static final SecureRandom RANDOM = new SecureRandom();

  private TokenSecret() {}

  /** A new random token. */
  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Whether {@code token} has the shape of one (cheap check before touching the database). */
  public static boolean wellFormed(String token) {
    return token != null && FORMAT.matcher(token).matches();
  }

  /** SHA-256 of the whole token string, as stored in {@code api_tokens.token_sha256}. */
  public static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}

package io.auditgate.web.tokens;

import io.auditgate.core.secret.TokenFormat;

/**
 * The token string format: {@code agt_} followed by 32 random bytes in unpadded base64url (43
 * characters). The prefix makes a leaked token recognisable to secret scanners; the 256 random bits
 * make guessing hopeless, which is why a plain SHA-256 (no salt, no stretching) is enough at rest.
 * Thread-safe.
 */
public final class TokenSecret {
  public static final String PREFIX = "agt_";
  private static final TokenFormat FORMAT = new TokenFormat(PREFIX);

  private TokenSecret() {}

  /** A new random token. */
  public static String generate() {
    return FORMAT.generate();
  }

  /** Whether {@code token} has the shape of one (cheap check before touching the database). */
  public static boolean wellFormed(String token) {
    return FORMAT.wellFormed(token);
  }

  /** SHA-256 of the whole token string, as stored in {@code api_tokens.token_sha256}. */
  public static byte[] sha256(String token) {
    return TokenFormat.sha256(token);
  }
}

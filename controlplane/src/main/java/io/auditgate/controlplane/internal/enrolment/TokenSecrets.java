package io.auditgate.controlplane.internal.enrolment;

import io.auditgate.core.secret.TokenFormat;

/**
 * The enrolment token format: {@code aget_} followed by 32 random bytes in unpadded base64url (43
 * characters). The prefix tells a leaked one apart from an API token ({@code agt_}) and makes it
 * recognisable to secret scanners; 256 random bits make a plain SHA-256 enough at rest.
 * Thread-safe.
 */
public final class TokenSecrets {
  public static final String PREFIX = "aget_";
  private static final TokenFormat FORMAT = new TokenFormat(PREFIX);

  private TokenSecrets() {}

  public static String generate() {
    return FORMAT.generate();
  }

  /** Whether {@code token} has the shape of one (checked before touching the database). */
  public static boolean wellFormed(String token) {
    return FORMAT.wellFormed(token);
  }

  /** SHA-256 of the whole token string, as stored in {@code enrolment_tokens.token_sha256}. */
  public static byte[] sha256(String token) {
    return TokenFormat.sha256(token);
  }
}

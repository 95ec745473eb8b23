package io.auditgate.controlplane.internal.enrolment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The enrolment token format: {@code aget_} followed by 32 random bytes in unpadded base64url (43
 * characters). The prefix tells a leaked one apart from an API token ({@code agt_}) and makes it
 * recognisable to secret scanners; 256 random bits make a plain SHA-256 enough at rest.
 * Thread-safe.
 */
public final class TokenSecrets {
  public static final String PREFIX = "aget_";
  private static final Pattern FORMAT = Pattern.compile("^aget_[A-Za-z0-9_-]{43}$");
  private static final SecureRandom RANDOM = new SecureRandom();

  private TokenSecrets() {}

  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Whether {@code token} has the shape of one (checked before touching the database). */
  public static boolean wellFormed(String token) {
    return token != null && FORMAT.matcher(token).matches();
  }

  /** SHA-256 of the whole token string, as stored in {@code enrolment_tokens.token_sha256}. */
  public static byte[] sha256(String token) {
    return Digests.sha256(token.getBytes(StandardCharsets.UTF_8));
  }

  /** The digest helper both tokens and certificates use. */
  public static final class Digests {
    private Digests() {}

    public static byte[] sha256(byte[] bytes) {
      try {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-256", e);
      }
    }
  }
}

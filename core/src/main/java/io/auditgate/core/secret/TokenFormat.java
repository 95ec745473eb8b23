package io.auditgate.core.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A bearer secret's format: a prefix naming its kind (API token {@code agt_}, enrolment token
 * {@code aget_}) followed by 32 random bytes in unpadded base64url (43 characters). The prefix
 * tells a leaked one apart from the other kinds and makes it recognisable to secret scanners; 256
 * random bits make guessing hopeless, which is why a plain SHA-256 (no salt, no stretching) is
 * enough at rest.
 *
 * <p>Thread-safe.
 */
public final class TokenFormat {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String prefix;
  private final Pattern shape;

  /**
   * @param prefix lower-case letters ending in {@code _}
   */
  public TokenFormat(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (!prefix.matches("[a-z]{1,16}_")) {
      throw new IllegalArgumentException("prefix must be lower-case letters and '_': " + prefix);
    }
    this.prefix = prefix;
    this.shape = Pattern.compile("^" + prefix + "[A-Za-z0-9_-]{43}$");
  }

  public String prefix() {
    return prefix;
  }

  /** A new random secret. */
  public String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Whether {@code token} has this format's shape (a cheap check before touching a database). */
  public boolean wellFormed(String token) {
    return token != null && shape.matcher(token).matches();
  }

  /** SHA-256 of the whole token string (prefix included): what is stored instead of it. */
  public static byte[] sha256(String token) {
    return sha256(token.getBytes(StandardCharsets.UTF_8));
  }

  /** SHA-256 of {@code bytes}. */
  public static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}

package io.auditgate.ingest.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A salted PBKDF2-HMAC-SHA256 hash of a device password or token, stored in the PHC string format:
 *
 * <pre>$pbkdf2-sha256$i=210000$&lt;salt&gt;$&lt;hash&gt;</pre>
 *
 * with salt (16 bytes) and hash (32 bytes) in standard Base64 without padding.
 *
 * @param iterations PBKDF2 rounds
 * @param salt random, per secret
 * @param hash the derived key
 */
public record SecretHash(int iterations, byte[] salt, byte[] hash) {
  /**
   * OWASP's floor for PBKDF2 (2023 names 600,000 for HMAC-SHA256; 210,000 is its SHA-512 figure and
   * the brief's minimum). Each MQTT CONNECT pays it once (later ones hit the verified-secret
   * cache), so it is a trade of brute-force cost against connect storms on a two-core gateway.
   */
  public static final int DEFAULT_ITERATIONS = 210_000;

  public static final int SALT_BYTES = 16;
  public static final int HASH_BYTES = 32;

  private static final Pattern PHC =
      Pattern.compile("^\\$pbkdf2-sha256\\$i=(\\d{1,10})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)$");

  public SecretHash {
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations must be positive, got " + iterations);
    }
    if (salt.length < 8) {
      throw new IllegalArgumentException("salt must be at least 8 bytes, got " + salt.length);
    }
    if (hash.length != HASH_BYTES) {
      throw new IllegalArgumentException("hash must be 32 bytes, got " + hash.length);
    }
    salt = salt.clone();
    hash = hash.clone();
  }

  /** Hashes a secret with a fresh random salt. */
  public static SecretHash create(byte[] secret, int iterations, SecureRandom random) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return new SecretHash(
        iterations, salt, Pbkdf2.hmacSha256(secret, salt, iterations, HASH_BYTES));
  }

  /**
   * Parses the PHC string form.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static SecretHash parse(String encoded) {
    Matcher m = PHC.matcher(encoded);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a '$pbkdf2-sha256$i=<iterations>$<salt>$<hash>' string");
    }
    long iterations = Long.parseLong(m.group(1));
    if (iterations > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("iterations out of range: " + iterations);
    }
    Base64.Decoder base64 = Base64.getDecoder();
    return new SecretHash((int) iterations, base64.decode(m.group(2)), base64.decode(m.group(3)));
  }

  /** The PHC string form. */
  public String encode() {
    Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
    return "$pbkdf2-sha256$i="
        + iterations
        + "$"
        + base64.encodeToString(salt)
        + "$"
        + base64.encodeToString(hash);
  }

  /**
   * Whether {@code secret} hashes to this. The comparison takes the same time wherever the first
   * differing byte is ({@link MessageDigest#isEqual} is constant-time for equal lengths).
   */
  public boolean matches(byte[] secret) {
    return MessageDigest.isEqual(Pbkdf2.hmacSha256(secret, salt, iterations, HASH_BYTES), hash);
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  @Override
  public byte[] hash() {
    return hash.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretHash other
        && iterations == other.iterations
        && Arrays.equals(salt, other.salt)
        && Arrays.equals(hash, other.hash);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * iterations + Arrays.hashCode(salt)) + Arrays.hashCode(hash);
  }

  /** Says what kind of hash it is, not the hash: logs are no place for offline-crackable data. */
  @Override
  public String toString() {
    return "SecretHash[pbkdf2-sha256, iterations=" + iterations + "]";
  }
}

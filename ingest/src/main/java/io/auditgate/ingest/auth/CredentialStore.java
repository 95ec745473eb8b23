package io.auditgate.ingest.auth;

import io.auditgate.ingest.auth.DeviceCredentials.SecretKind;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Device passwords and tokens, as PBKDF2 hashes, held in memory; immutable ({@link #with} returns a
 * new store).
 *
 * <p>Verification does the same work whether the device is unknown, has no secret of that kind, or
 * gave the wrong one: one PBKDF2 derivation with as many rounds as the store's strongest hash, then
 * a constant-time comparison. So the time to refuse tells a guesser nothing about which devices
 * exist.
 *
 * <p>A secret that verified once is remembered as an HMAC under a key drawn when the store is made
 * and never stored, so a device that reconnects (or sends one HTTP request after another with its
 * token) costs one HMAC rather than 210,000. Only a match is remembered; a wrong secret always pays
 * the full derivation.
 *
 * <p>Thread-safety: safe from any thread. A first verification is CPU-bound (tens of milliseconds);
 * callers on a network event loop should hand it to a worker.
 */
public final class CredentialStore {
  private final Map<String, DeviceCredentials> devices;
  private final SecretHash decoy;
  private final byte[] cacheKey = new byte[32];
  private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
  private final AtomicLong derivations = new AtomicLong();

  private CredentialStore(Map<String, DeviceCredentials> devices) {
    this.devices = devices;
    SecureRandom random = new SecureRandom();
    random.nextBytes(cacheKey);
    int rounds =
        devices.values().stream()
            .flatMap(d -> List.of(d.password(), d.token()).stream())
            .flatMap(Optional::stream)
            .mapToInt(SecretHash::iterations)
            .max()
            .orElse(SecretHash.DEFAULT_ITERATIONS);
    byte[] salt = new byte[SecretHash.SALT_BYTES];
    byte[] unreachable = new byte[SecretHash.HASH_BYTES];
    random.nextBytes(salt);
    random.nextBytes(unreachable);
    // Random bytes no secret derives to in practice: costs a derivation, never matches.
    this.decoy = new SecretHash(rounds, salt, unreachable);
  }

  public static CredentialStore empty() {
    return new CredentialStore(Map.of());
  }

  /**
   * A store of the given devices.
   *
   * @throws IllegalArgumentException if a device appears twice
   */
  public static CredentialStore of(Collection<DeviceCredentials> credentials) {
    Map<String, DeviceCredentials> map = new TreeMap<>();
    for (DeviceCredentials c : credentials) {
      if (map.putIfAbsent(c.deviceId(), c) != null) {
        throw new IllegalArgumentException("device " + c.deviceId() + " appears twice");
      }
    }
    return new CredentialStore(Map.copyOf(map));
  }

  /** This store with {@code credentials} added or replacing the device's previous ones. */
  public CredentialStore with(DeviceCredentials credentials) {
    Map<String, DeviceCredentials> map = new TreeMap<>(devices);
    map.put(credentials.deviceId(), credentials);
    return new CredentialStore(Map.copyOf(map));
  }

  /** This store without the device. */
  public CredentialStore without(String deviceId) {
    Map<String, DeviceCredentials> map = new TreeMap<>(devices);
    map.remove(deviceId);
    return new CredentialStore(Map.copyOf(map));
  }

  public Optional<DeviceCredentials> get(String deviceId) {
    return Optional.ofNullable(devices.get(deviceId));
  }

  /** Every device's credentials, by device id. */
  public List<DeviceCredentials> devices() {
    return devices.values().stream()
        .sorted(Comparator.comparing(DeviceCredentials::deviceId))
        .toList();
  }

  /** What checking a secret found. */
  public enum Verification {
    MATCH,
    WRONG_SECRET,
    UNKNOWN_DEVICE,
    NO_SECRET_OF_THIS_KIND
  }

  /**
   * Checks a device's password or token; see the class comment for the timing guarantees.
   *
   * @throws IllegalArgumentException if {@code secret} is empty (refuse that before asking)
   */
  public Verification verify(String deviceId, SecretKind kind, byte[] secret) {
    if (secret.length == 0) {
      throw new IllegalArgumentException("an empty secret cannot be verified");
    }
    String cacheId = kind.name() + ":" + deviceId;
    byte[] remembered = verified.get(cacheId);
    if (remembered != null && MessageDigest.isEqual(remembered, mac(secret))) {
      return Verification.MATCH;
    }
    DeviceCredentials device = devices.get(deviceId);
    Optional<SecretHash> stored = device == null ? Optional.empty() : device.secret(kind);
    derivations.incrementAndGet();
    boolean matches = stored.orElse(decoy).matches(secret);
    if (device == null) {
      return Verification.UNKNOWN_DEVICE;
    }
    if (stored.isEmpty()) {
      return Verification.NO_SECRET_OF_THIS_KIND;
    }
    if (!matches) {
      return Verification.WRONG_SECRET;
    }
    verified.put(cacheId, mac(secret));
    return Verification.MATCH;
  }

  /** PBKDF2 derivations done so far: lets tests see that every refusal paid the same price. */
  long derivations() {
    return derivations.get();
  }

  private byte[] mac(byte[] secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
      return mac.doFinal(secret);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK lacks HmacSHA256", e);
    }
  }
}

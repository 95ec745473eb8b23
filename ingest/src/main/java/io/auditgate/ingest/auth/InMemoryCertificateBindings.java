package io.auditgate.ingest.auth;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Certificate bindings held in memory. A certificate is bound to at most one device; a device may
 * have several (during a replacement the old and the new one).
 *
 * <p>Thread-safety: all methods are safe from any thread; lookups and changes are serialised on
 * this object (they are map operations, far cheaper than the handshake that precedes them).
 */
public final class InMemoryCertificateBindings implements CertificateBindings {
  private static final Pattern SHA256_HEX = Pattern.compile("^[0-9a-f]{64}$");

  private final Map<String, Set<String>> byDevice = new HashMap<>();
  private final Map<String, String> byFingerprint = new HashMap<>();

  /** What {@link #bind} did. */
  public enum BindOutcome {
    BOUND,
    ALREADY_BOUND,
    /** Refused: the certificate is bound to another device; unbind it there first. */
    BOUND_TO_OTHER_DEVICE
  }

  /**
   * Binds a certificate to a device.
   *
   * @param sha256Fingerprint hex, upper or lower case, colons allowed ({@code AB:CD:...})
   */
  public synchronized BindOutcome bind(String deviceId, String sha256Fingerprint) {
    String fingerprint = normalise(sha256Fingerprint);
    String owner = byFingerprint.get(fingerprint);
    if (owner != null) {
      return owner.equals(deviceId) ? BindOutcome.ALREADY_BOUND : BindOutcome.BOUND_TO_OTHER_DEVICE;
    }
    byFingerprint.put(fingerprint, deviceId);
    byDevice.computeIfAbsent(deviceId, id -> new HashSet<>()).add(fingerprint);
    return BindOutcome.BOUND;
  }

  /** Removes a binding; returns whether there was one. */
  public synchronized boolean unbind(String deviceId, String sha256Fingerprint) {
    String fingerprint = normalise(sha256Fingerprint);
    if (!deviceId.equals(byFingerprint.get(fingerprint))) {
      return false;
    }
    byFingerprint.remove(fingerprint);
    Set<String> set = byDevice.get(deviceId);
    set.remove(fingerprint);
    if (set.isEmpty()) {
      byDevice.remove(deviceId);
    }
    return true;
  }

  @Override
  public synchronized Optional<Set<String>> fingerprintsOf(String deviceId) {
    Set<String> set = byDevice.get(deviceId);
    return set == null ? Optional.empty() : Optional.of(Set.copyOf(set));
  }

  @Override
  public synchronized Optional<String> deviceOf(String sha256Fingerprint) {
    return Optional.ofNullable(byFingerprint.get(normalise(sha256Fingerprint)));
  }

  static String normalise(String fingerprint) {
    String hex = fingerprint.replace(":", "").toLowerCase(Locale.ROOT);
    if (!SHA256_HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException(
          "a SHA-256 fingerprint is 64 hex digits, got '" + fingerprint + "'");
    }
    return hex;
  }
}

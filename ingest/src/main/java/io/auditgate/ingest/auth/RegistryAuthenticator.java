package io.auditgate.ingest.auth;

import io.auditgate.core.config.AuthConfig;
import io.auditgate.core.ingest.DeviceAuthenticator;
import io.auditgate.core.ingest.DeviceIdentity;
import io.auditgate.core.ingest.DeviceIdentity.Method;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.ingest.auth.AuthOutcome.Accepted;
import io.auditgate.ingest.auth.AuthOutcome.Refused;
import io.auditgate.ingest.auth.CredentialStore.Verification;
import io.auditgate.ingest.auth.DeviceCredentials.SecretKind;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway's {@link DeviceAuthenticator}: client certificates checked against the registry's
 * bindings and revocation state, passwords and tokens against the {@link CredentialStore}.
 *
 * <p>Certificates: the TLS handshake has verified the chain against the trusted CAs; this adds what
 * the handshake does not know — which device the certificate names (SAN URI {@code
 * urn:auditgate:device:<id>}, else subject CN), whether it is bound to that device, whether it is
 * revoked — and re-checks validity and EKU against the injected clock, so that a long-lived
 * connection's certificate and a test with a fixed clock are judged by the same time.
 *
 * <p>The {@code authenticate*} methods say why a refusal happened (for counters and evidence); the
 * {@link DeviceAuthenticator} methods return only the identity, as devices must not learn why.
 *
 * <p>Thread-safety: safe from any thread; never blocks on I/O. A first password or token check per
 * device is CPU-bound (one PBKDF2 derivation); see {@link CredentialStore}.
 */
public final class RegistryAuthenticator implements DeviceAuthenticator {
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

  private final AuthConfig config;
  private final CredentialStore credentials;
  private final CertificateBindings bindings;
  private final RevocationCheck revocation;
  private final Clock clock;

  public RegistryAuthenticator(
      AuthConfig config,
      CredentialStore credentials,
      CertificateBindings bindings,
      RevocationCheck revocation,
      Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.bindings = Objects.requireNonNull(bindings, "bindings");
    this.revocation = Objects.requireNonNull(revocation, "revocation");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * An authenticator for the configuration, reading {@code credentials_file} when it is set.
   *
   * @throws io.auditgate.core.config.ConfigException if the credentials file cannot be used
   */
  public static RegistryAuthenticator fromConfig(
      AuthConfig config, CertificateBindings bindings, RevocationCheck revocation, Clock clock) {
    CredentialStore store =
        config
            .optionalCredentialsFile()
            .map(CredentialsFile::read)
            .orElseGet(CredentialStore::empty);
    return new RegistryAuthenticator(config, store, bindings, revocation, clock);
  }

  @Override
  public Optional<DeviceIdentity> fromCertificate(List<X509Certificate> chain) {
    return authenticateCertificate(chain).identity();
  }

  @Override
  public Optional<DeviceIdentity> fromPassword(String username, byte[] password) {
    return authenticatePassword(username, password).identity();
  }

  @Override
  public Optional<DeviceIdentity> fromToken(String token) {
    return authenticateToken(token).identity();
  }

  @Override
  public boolean allowsAnonymous() {
    return config.allowsAnonymous();
  }

  /** {@link #fromCertificate}, saying why when it refuses. */
  public AuthOutcome authenticateCertificate(List<X509Certificate> chain) {
    if (chain == null || chain.isEmpty()) {
      return Refused.because(RefusalReason.NO_CREDENTIALS);
    }
    X509Certificate leaf = chain.get(0);
    CertificateDeviceId.Result named = CertificateDeviceId.of(leaf);
    if (named instanceof CertificateDeviceId.Unnamed unnamed) {
      return Refused.because(unnamed.reason());
    }
    String deviceId = ((CertificateDeviceId.Named) named).deviceId();
    try {
      leaf.checkValidity(Date.from(clock.instant()));
    } catch (CertificateExpiredException e) {
      return Refused.because(RefusalReason.EXPIRED, deviceId);
    } catch (CertificateNotYetValidException e) {
      return Refused.because(RefusalReason.NOT_YET_VALID, deviceId);
    }
    Optional<RefusalReason> usage = checkClientAuthUsage(leaf);
    if (usage.isPresent()) {
      return Refused.because(usage.get(), deviceId);
    }
    String fingerprint = Fingerprints.sha256Hex(leaf);
    if (revocation.isRevoked(leaf, chain)) {
      return Refused.because(RefusalReason.REVOKED, deviceId);
    }
    Optional<String> owner = bindings.deviceOf(fingerprint);
    if (owner.isPresent() && !owner.get().equals(deviceId)) {
      return Refused.because(RefusalReason.BOUND_TO_OTHER_DEVICE, deviceId);
    }
    Optional<Set<String>> bound = bindings.fingerprintsOf(deviceId);
    if (bound.isPresent() && !bound.get().contains(fingerprint)) {
      return Refused.because(RefusalReason.NOT_BOUND, deviceId);
    }
    return new Accepted(
        new DeviceIdentity(deviceId, Method.CLIENT_CERTIFICATE, Optional.of(fingerprint)));
  }

  /** {@link #fromPassword}, saying why when it refuses. The username is the device id. */
  public AuthOutcome authenticatePassword(String username, byte[] password) {
    if (username == null || password == null || password.length == 0) {
      return Refused.because(RefusalReason.NO_CREDENTIALS);
    }
    if (!Telemetry.isDeviceId(username)) {
      return Refused.because(RefusalReason.INVALID_DEVICE_ID);
    }
    return check(username, SecretKind.PASSWORD, password, Method.PASSWORD);
  }

  /** {@link #fromToken}, saying why when it refuses. A token is {@code <deviceId>.<secret>}. */
  public AuthOutcome authenticateToken(String token) {
    if (token == null || token.isEmpty()) {
      return Refused.because(RefusalReason.NO_CREDENTIALS);
    }
    Optional<String> deviceId = CredentialsFile.tokenDeviceId(token);
    if (deviceId.isEmpty()) {
      return Refused.because(RefusalReason.MALFORMED_TOKEN);
    }
    return check(
        deviceId.get(), SecretKind.TOKEN, token.getBytes(StandardCharsets.UTF_8), Method.TOKEN);
  }

  private AuthOutcome check(String deviceId, SecretKind kind, byte[] secret, Method method) {
    Verification verification = credentials.verify(deviceId, kind, secret);
    return switch (verification) {
      case MATCH -> new Accepted(new DeviceIdentity(deviceId, method, Optional.empty()));
      case WRONG_SECRET -> Refused.because(RefusalReason.WRONG_SECRET, deviceId);
      case UNKNOWN_DEVICE -> Refused.because(RefusalReason.UNKNOWN_DEVICE, deviceId);
      case NO_SECRET_OF_THIS_KIND ->
          Refused.because(RefusalReason.NO_SECRET_OF_THIS_KIND, deviceId);
    };
  }

  /**
   * The handshake's trust manager checks EKU too, but only against the chain it validated; a
   * certificate that reaches here another way (a bridge, a test) is held to the same rule.
   */
  private static Optional<RefusalReason> checkClientAuthUsage(X509Certificate leaf) {
    List<String> usages;
    try {
      usages = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      return Optional.of(RefusalReason.MALFORMED_CERTIFICATE);
    }
    if (usages != null
        && !usages.contains(CLIENT_AUTH)
        && !usages.contains(ANY_EXTENDED_KEY_USAGE)) {
      return Optional.of(RefusalReason.WRONG_KEY_USAGE);
    }
    boolean[] keyUsage = leaf.getKeyUsage();
    if (keyUsage != null && !keyUsage[0]) {
      // TLS client authentication signs the handshake: digitalSignature is required.
      return Optional.of(RefusalReason.WRONG_KEY_USAGE);
    }
    return Optional.empty();
  }
}

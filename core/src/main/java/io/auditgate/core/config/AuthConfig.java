package io.auditgate.core.config;

import static io.auditgate.core.config.Check.orDefault;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How devices prove who they are (section {@code auth}).
 *
 * @param required whether every client must authenticate; default true. Setting it to false lets
 *     clients without credentials in as anonymous, which the audit reports as a finding. A boxed
 *     {@code Boolean} on purpose: a missing primitive would bind as false, the insecure value.
 * @param credentialsFile device passwords and tokens, as JSON lines of PBKDF2 hashes (see {@code
 *     io.auditgate.ingest.auth.CredentialsFile}); null when devices authenticate by certificate
 *     only
 * @param certificateBindingsFile which certificates stand for which device (JSON lines of device id
 *     and SHA-256 fingerprint); when set, a device may authenticate only with a certificate bound
 *     to it
 */
public record AuthConfig(Boolean required, Path credentialsFile, Path certificateBindingsFile) {
  public AuthConfig {
    required = orDefault(required, Boolean.TRUE);
  }

  /** Without certificate bindings: any certificate of the trusted CA naming a device is it. */
  public AuthConfig(Boolean required, Path credentialsFile) {
    this(required, credentialsFile, null);
  }

  /** Every setting at its default: authentication required, no credentials or bindings file. */
  public static AuthConfig defaults() {
    return new AuthConfig(null, null, null);
  }

  /** {@link #certificateBindingsFile()}, if set. */
  public Optional<Path> optionalCertificateBindingsFile() {
    return Optional.ofNullable(certificateBindingsFile);
  }

  /** Whether clients without credentials are let in; the opposite of {@link #required()}. */
  public boolean allowsAnonymous() {
    return !required;
  }

  /** {@link #credentialsFile()}, if set. */
  public Optional<Path> optionalCredentialsFile() {
    return Optional.ofNullable(credentialsFile);
  }
}

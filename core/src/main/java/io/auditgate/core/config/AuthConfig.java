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
 */
public record AuthConfig(Boolean required, Path credentialsFile) {
  public AuthConfig {
    required = orDefault(required, Boolean.TRUE);
  }

  /** Every setting at its default: authentication required, no credentials file. */
  public static AuthConfig defaults() {
    return new AuthConfig(null, null);
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

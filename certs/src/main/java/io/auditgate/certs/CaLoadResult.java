package io.auditgate.certs;

import java.nio.file.Path;

/**
 * What {@link DevCertificateAuthority#load} found. Everything but {@link Loaded} is something an
 * operator fixes (create the CA, give or correct the passphrase), so it is a value, not an
 * exception; {@link #orElseThrow()} turns it into one with a message that says what to do.
 */
public sealed interface CaLoadResult {

  /** The CA, or a {@link CertsException} explaining why there is none. */
  DevCertificateAuthority orElseThrow();

  /** The CA's certificates and keys were read and match each other. */
  record Loaded(DevCertificateAuthority ca) implements CaLoadResult {
    @Override
    public DevCertificateAuthority orElseThrow() {
      return ca;
    }
  }

  /** The directory holds no CA. */
  record NotFound(Path dir) implements CaLoadResult {
    @Override
    public DevCertificateAuthority orElseThrow() {
      throw new CertsException("no development CA in " + dir + "; create one first");
    }
  }

  /** A CA key is encrypted and no passphrase was given. */
  record PassphraseRequired(Path keyFile) implements CaLoadResult {
    @Override
    public DevCertificateAuthority orElseThrow() {
      throw new CertsException(
          "the CA key " + keyFile + " is encrypted; a passphrase is required to load it");
    }
  }

  /** The passphrase does not decrypt a CA key. */
  record WrongPassphrase(Path keyFile) implements CaLoadResult {
    @Override
    public DevCertificateAuthority orElseThrow() {
      throw new CertsException("the passphrase does not decrypt the CA key " + keyFile);
    }
  }
}

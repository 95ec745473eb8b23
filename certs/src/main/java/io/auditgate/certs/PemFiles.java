package io.auditgate.certs;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an issued certificate was written.
 *
 * @param certificateChain {@code <name>.crt}: the certificate, then its issuing CA (PEM)
 * @param privateKey {@code <name>.key}: the PKCS#8 private key (PEM), readable by the owner only
 */
public record PemFiles(Path certificateChain, Path privateKey) {
  public PemFiles {
    Objects.requireNonNull(certificateChain, "certificateChain");
    Objects.requireNonNull(privateKey, "privateKey");
  }
}

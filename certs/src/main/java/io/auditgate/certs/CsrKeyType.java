package io.auditgate.certs;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The key types a device's CSR may carry: the two NIST curves TLS stacks on devices have, RSA. */
public enum CsrKeyType {
  EC_P256("ec-p256"),
  EC_P384("ec-p384"),
  /** RSA of at least {@link CsrPolicy#minimumRsaBits()}. */
  RSA("rsa");

  private final String label;

  CsrKeyType(String label) {
    this.label = label;
  }

  /** The configuration spelling: {@code ec-p256}, {@code ec-p384}, {@code rsa}. */
  public String label() {
    return label;
  }

  public static Optional<CsrKeyType> fromLabel(String label) {
    String lower = label.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(t -> t.label.equals(lower)).findFirst();
  }
}

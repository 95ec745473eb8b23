package io.auditgate.certs.x509;

import java.util.Locale;

/** The public key algorithm of a certificate, as the inventory filters on it. */
public enum KeyType {
  EC,
  RSA,
  ED25519,
  ED448,
  DSA,
  OTHER;

  /** The lower-case label stored and shown ({@code ec}, {@code rsa}, ...). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type for a label; {@link #OTHER} for anything unknown. */
  public static KeyType ofLabel(String label) {
    for (KeyType t : values()) {
      if (t.label().equals(label)) {
        return t;
      }
    }
    return OTHER;
  }
}

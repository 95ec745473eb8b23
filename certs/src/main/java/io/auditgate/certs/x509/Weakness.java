package io.auditgate.certs.x509;

import java.util.Locale;

/**
 * Why a certificate's cryptography counts as weak. Fixed by the certificate itself, so it never
 * changes for a given DER.
 */
public enum Weakness {
  /** An RSA key shorter than 2048 bits (NIST SP 800-131A disallows them since 2013). */
  RSA_KEY_UNDER_2048,
  /** Signed with SHA-1, for which chosen-prefix collisions are practical (SHAmbles, 2020). */
  SHA1_SIGNATURE,
  /** Signed with MD5 (or MD2): forgeable. */
  MD5_SIGNATURE;

  /** The lower-case reason code ({@code rsa_key_under_2048}, ...). */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}

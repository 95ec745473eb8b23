package io.auditgate.certs;

/**
 * Why a certificate signing request was refused. Each has a stable {@link #code()} that travels to
 * clients (EST error bodies, CLI messages) and into logs; never rename one.
 */
public enum CsrRefusal {
  /** Not PEM or DER of a PKCS#10 CertificationRequest, or empty, or too large. */
  MALFORMED("csr_malformed"),
  /** The CSR's self-signature does not verify with its own key: no proof of possession. */
  BAD_SIGNATURE("csr_signature_invalid"),
  /**
   * The CSR is signed with a broken digest (MD2, MD4, MD5 or SHA-1, also RSASSA-PSS over SHA-1): a
   * device that still signs that way should not be given a certificate that then looks modern.
   */
  WEAK_SIGNATURE("csr_weak_signature"),
  /** A key type or curve the policy does not allow (for example DSA, Ed25519 or P-521). */
  KEY_NOT_ALLOWED("csr_key_not_allowed"),
  /** An allowed key type that is too small (RSA below the policy's minimum). */
  KEY_TOO_WEAK("csr_key_too_weak"),
  /** Neither a subject CN nor a device SAN URI: the CSR names no one. */
  IDENTITY_MISSING("csr_identity_missing"),
  /** The CSR names a device other than the one the caller is authorised for. */
  IDENTITY_MISMATCH("csr_identity_mismatch"),
  /** The CSR asks for names the CA never issues to devices (DNS, IP, e-mail, other URIs). */
  UNEXPECTED_NAME("csr_unexpected_name");

  private final String code;

  CsrRefusal(String code) {
    this.code = code;
  }

  /** The stable snake_case reason code. */
  public String code() {
    return code;
  }
}

package io.auditgate.certs;

import java.util.Arrays;
import java.util.Optional;

/**
 * The CRL reason codes of RFC 5280 §5.3.1, with their wire values. {@code removeFromCRL} (8) is
 * left out: it only has a meaning in delta CRLs, which auditgate does not publish. Names are the
 * RFC's ({@code keyCompromise}), which is also how the CLI, the API and the database spell them.
 */
public enum RevocationReason {
  UNSPECIFIED("unspecified", 0),
  KEY_COMPROMISE("keyCompromise", 1),
  CA_COMPROMISE("cACompromise", 2),
  AFFILIATION_CHANGED("affiliationChanged", 3),
  SUPERSEDED("superseded", 4),
  CESSATION_OF_OPERATION("cessationOfOperation", 5),
  CERTIFICATE_HOLD("certificateHold", 6),
  PRIVILEGE_WITHDRAWN("privilegeWithdrawn", 9),
  AA_COMPROMISE("aACompromise", 10);

  private final String rfcName;
  private final int code;

  RevocationReason(String rfcName, int code) {
    this.rfcName = rfcName;
    this.code = code;
  }

  /** The RFC 5280 name, e.g. {@code keyCompromise}. */
  public String rfcName() {
    return rfcName;
  }

  /** The CRLReason ENUMERATED value. */
  public int code() {
    return code;
  }

  /** The reason named {@code name} (RFC spelling, case-insensitive), if there is one. */
  public static Optional<RevocationReason> parse(String name) {
    return Arrays.stream(values()).filter(r -> r.rfcName.equalsIgnoreCase(name)).findFirst();
  }

  /** The reason with wire value {@code code}, if it is one auditgate uses. */
  public static Optional<RevocationReason> ofCode(int code) {
    return Arrays.stream(values()).filter(r -> r.code == code).findFirst();
  }

  /** All RFC names, for error messages. */
  public static String names() {
    return String.join(", ", Arrays.stream(values()).map(RevocationReason::rfcName).toList());
  }
}

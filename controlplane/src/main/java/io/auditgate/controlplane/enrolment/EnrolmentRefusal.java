package io.auditgate.controlplane.enrolment;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Why an enrolment was refused; nothing was written.
 *
 * @param kind what the refusal means for the caller (EST maps it to 400, 401 or 403)
 * @param code a stable snake_case reason code ({@code token_expired}, {@code csr_key_too_weak}, …)
 * @param message a sentence for a person
 */
public record EnrolmentRefusal(Kind kind, String code, String message) {
  private static final Pattern CODE = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");

  /** The class of a refusal. */
  public enum Kind {
    /** The request itself is unusable: a malformed CSR, a weak key, a bad signature. */
    BAD_REQUEST,
    /** The caller did not prove who it is: no, unknown, used or expired token; bad certificate. */
    UNAUTHENTICATED,
    /** The caller is known but may not have this: another device's id, a revoked certificate. */
    FORBIDDEN
  }

  public EnrolmentRefusal {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(code, "code");
    if (!CODE.matcher(code).matches()) {
      throw new IllegalArgumentException("code must match " + CODE + ", got '" + code + "'");
    }
    Objects.requireNonNull(message, "message");
  }
}

package io.auditgate.controlplane.enrolment;

import java.security.cert.X509Certificate;

/**
 * Whether a certificate has been revoked, as the re-enrolment check needs it: a device whose
 * certificate was revoked must not renew its way back in. The revocation slice implements it over
 * its records; {@link #NONE_REVOKED} is only for deployments without revocation.
 *
 * <p>Thread-safe; may block on the database; throws only for the unexpected (the database is down),
 * which refuses the re-enrolment as a server error.
 */
@FunctionalInterface
public interface RevocationStatus {
  /** Nothing is ever revoked. */
  RevocationStatus NONE_REVOKED = certificate -> false;

  /** Whether {@code certificate} (issued by our CA) is revoked now. */
  boolean isRevoked(X509Certificate certificate);
}

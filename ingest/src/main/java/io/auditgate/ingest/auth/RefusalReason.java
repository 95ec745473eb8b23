package io.auditgate.ingest.auth;

/**
 * Why credentials were refused. Kept apart from the device-facing answer (which never says why, so
 * that a guesser learns nothing): it is for counters, logs and audit evidence.
 */
public enum RefusalReason {
  /** No certificate, username, password or token where one was needed. */
  NO_CREDENTIALS,
  /** The certificate names no device (no device SAN URI, no subject CN). */
  NO_DEVICE_ID,
  /** The name in the certificate, username or token is not a valid device id. */
  INVALID_DEVICE_ID,
  /** The certificate names more than one device. */
  AMBIGUOUS_DEVICE_ID,
  /** The certificate's validity ended before now. */
  EXPIRED,
  /** The certificate's validity starts after now. */
  NOT_YET_VALID,
  /** The certificate may not be used for TLS client authentication (EKU). */
  WRONG_KEY_USAGE,
  /** The certificate cannot be parsed far enough to check it. */
  MALFORMED_CERTIFICATE,
  /** The certificate has been revoked. */
  REVOKED,
  /** The device has certificate bindings and this certificate is not one of them. */
  NOT_BOUND,
  /** The certificate is bound to a different device. */
  BOUND_TO_OTHER_DEVICE,
  /** No credentials are stored for this device. */
  UNKNOWN_DEVICE,
  /** The device has no secret of this kind (a password login for a token-only device). */
  NO_SECRET_OF_THIS_KIND,
  /** The password or token does not match the stored hash. */
  WRONG_SECRET,
  /** The token is not {@code <deviceId>.<secret>}. */
  MALFORMED_TOKEN
}

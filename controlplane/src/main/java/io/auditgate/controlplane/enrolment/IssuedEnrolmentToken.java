package io.auditgate.controlplane.enrolment;

import java.time.Instant;
import java.util.Objects;

/**
 * A new enrolment token with its secret, which is stored nowhere and must be shown once.
 *
 * @param id the row id in {@code enrolment_tokens}
 * @param deviceId the only device it can enrol
 * @param expiresAt after this it authorises nothing
 * @param secret {@code aget_} and 43 base64url characters
 */
public record IssuedEnrolmentToken(long id, String deviceId, Instant expiresAt, String secret) {
  public IssuedEnrolmentToken {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(secret, "secret");
  }

  /** The secret stays out of logs and exception messages. */
  @Override
  public String toString() {
    return "IssuedEnrolmentToken[id="
        + id
        + ", deviceId="
        + deviceId
        + ", expiresAt="
        + expiresAt
        + ", secret=(hidden)]";
  }
}

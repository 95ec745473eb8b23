package io.auditgate.controlplane.replacement;

/** What {@link ReplacementWorkflow#start} did. */
public sealed interface StartOutcome {
  /** The replacement is in progress and the device was asked to re-enrol. */
  record Started(String sha256, String deviceId, Reenrolment.Outcome request)
      implements StartOutcome {}

  /** It was already in progress; the device was asked again. */
  record AlreadyInProgress(String sha256, String deviceId, Reenrolment.Outcome request)
      implements StartOutcome {}

  /** The certificate is not in the inventory. */
  record UnknownCertificate(String sha256) implements StartOutcome {}

  /**
   * It cannot be replaced: {@code reason} is {@code not_a_device_certificate}, {@code
   * already_replaced}, {@code completed}, {@code expired} or {@code revoked}.
   */
  record NotReplaceable(String sha256, String reason) implements StartOutcome {}
}

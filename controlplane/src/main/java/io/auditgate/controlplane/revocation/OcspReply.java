package io.auditgate.controlplane.revocation;

import java.util.Objects;

/**
 * An OCSP response to send back ({@code application/ocsp-response}, HTTP 200 whatever it says).
 *
 * @param der the DER {@code OCSPResponse}
 * @param outcome {@code good}, {@code revoked}, {@code unknown}, {@code malformed_request} or
 *     {@code internal_error}, for logs and metrics
 */
public record OcspReply(byte[] der, String outcome) {
  public OcspReply {
    Objects.requireNonNull(der, "der");
    Objects.requireNonNull(outcome, "outcome");
  }
}

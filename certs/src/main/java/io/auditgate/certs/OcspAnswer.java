package io.auditgate.certs;

import java.util.Objects;

/**
 * An encoded OCSP response (RFC 6960 {@code OCSPResponse}, served as {@code
 * application/ocsp-response}) and what it said, for logs and metrics.
 *
 * @param der the response's DER encoding; an HTTP responder returns it with status 200 whatever
 *     {@link #status} is (RFC 6960 A.1)
 * @param status the response status, or the answer for the single certificate asked about
 */
public record OcspAnswer(byte[] der, Status status) {
  public OcspAnswer {
    Objects.requireNonNull(der, "der");
    Objects.requireNonNull(status, "status");
  }

  /** The outcome in one word. */
  public enum Status {
    /** Every certificate asked about is good. */
    GOOD,
    /** At least one certificate asked about is revoked. */
    REVOKED,
    /** At least one certificate asked about is not one of this CA's (and none is revoked). */
    UNKNOWN,
    /** The request could not be parsed, or asked for nothing or too much. */
    MALFORMED_REQUEST,
    /** The responder failed to build a response. */
    INTERNAL_ERROR
  }
}

package io.auditgate.controlplane.revocation;

/** What {@link Revocations#revoke} did. Only {@link Revoked} changed anything. */
public sealed interface RevokeOutcome {

  /** The certificate is now revoked and {@code crl} (already published) lists it. */
  record Revoked(RevocationRecord record, PublishedCrl crl) implements RevokeOutcome {}

  /**
   * It was revoked before: {@code existing} keeps the first time and reason. When the first
   * revocation was by serial and this one named the certificate, its fingerprint was added.
   */
  record AlreadyRevoked(RevocationRecord existing) implements RevokeOutcome {}

  /** No certificate with this fingerprint is known, so its serial is unknown. */
  record UnknownCertificate(String sha256) implements RevokeOutcome {}

  /**
   * The certificate was not issued by this control plane's issuing CA, whose CRL could not list it.
   */
  record NotIssuedHere(String issuer, String expectedIssuer) implements RevokeOutcome {}

  /** The reason is not an RFC 5280 reason auditgate uses; {@code allowed} lists those. */
  record InvalidReason(String given, String allowed) implements RevokeOutcome {}
}

package io.auditgate.controlplane.revocation;

import io.auditgate.certs.RevocationAuthority;
import io.auditgate.controlplane.internal.revocation.JdbcRevocations;
import io.auditgate.store.StoreOptions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Revokes certificates of the issuing CA and publishes what is revoked: a CRL regenerated on every
 * change and before it expires, and OCSP answers. State lives in the store's {@code
 * certificate_revocations} and {@code published_crls} tables, so several control plane processes
 * may share it (the CRL number is advanced under a row lock).
 *
 * <p>Thread-safety: thread-safe. Every method blocks on the database (short queries; regenerating
 * the CRL reads every revoked serial and signs once); failures throw {@link
 * UnableToUseRevocationsException}.
 */
public interface Revocations extends RevocationView {

  /**
   * Revokes one certificate. Idempotent: revoking it again keeps the first time and reason and
   * answers {@link RevokeOutcome.AlreadyRevoked}. On {@link RevokeOutcome.Revoked} the new CRL is
   * already published.
   */
  RevokeOutcome revoke(RevokeRequest request);

  /** The published CRL's name ({@code /crl/<name>.crl}). */
  String crlName();

  /**
   * The CRL published under {@code name}: from the table, regenerated first if none was published
   * yet or the published one is due for renewal. Empty for any other name.
   */
  Optional<PublishedCrl> crl(String name);

  /** Regenerates the CRL if it is due (the schedule calls this); returns the published CRL. */
  PublishedCrl refreshCrlIfDue();

  /** Regenerates the CRL now, with the next CRL number. */
  PublishedCrl regenerateCrl();

  /** Answers a DER OCSP request for the issuing CA's certificates. Never throws for bad input. */
  OcspReply ocsp(byte[] request);

  /** Revocations newest first, for the API and the CLI. */
  List<RevocationRecord> list(int limit, int offset);

  /**
   * The service over the store's tables (migrated by {@code StoreSchema.migrate}).
   *
   * @param authority the issuing CA that signs the CRL and OCSP answers
   * @param certificates finds certificates revoked by fingerprint (the inventory)
   * @param clock every revocation time, thisUpdate and nextUpdate
   */
  static Revocations over(
      StoreOptions store,
      RevocationAuthority authority,
      CertificateSource certificates,
      RevocationOptions options,
      Clock clock) {
    return new JdbcRevocations(store, authority, certificates, options, clock);
  }
}

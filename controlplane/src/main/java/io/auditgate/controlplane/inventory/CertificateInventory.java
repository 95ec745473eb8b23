package io.auditgate.controlplane.inventory;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The certificate inventory over the store's tables (migration V51). Every fact comes from a real
 * certificate; status is derived at each read from the certificate, the injected clock and the
 * {@link RevocationView}.
 *
 * <p>Thread-safety: implementations are thread-safe. Every method blocks on the database and throws
 * {@link UnableToUseInventoryException} when it cannot be used; expected outcomes are return
 * values.
 */
public interface CertificateInventory extends AutoCloseable {
  /**
   * Records a chain (leaf first) seen at {@code sighting}: each certificate is added if new, its
   * last-seen moves forward, and the sighting (per certificate, source, location, device) moves its
   * last-seen and count. The device of the sighting belongs to the leaf only. Idempotent in rows;
   * one transaction.
   */
  RecordOutcome record(List<X509Certificate> chain, Sighting sighting);

  /**
   * Records several chains seen at one sighting (the aliases of a keystore, the bundles of a file)
   * in one transaction: all of them or, on failure, none.
   */
  RecordOutcome recordAll(List<List<X509Certificate>> chains, Sighting sighting);

  /** A filtered, sorted page. */
  Page<CertificateSummary> list(CertificateQuery query);

  /**
   * Certificates in service (not expired, not revoked) that expire within {@code days}, soonest
   * first: the fast path the dashboard and alerts poll.
   */
  List<CertificateSummary> expiring(int days, int limit);

  /** Everything known about one certificate. */
  Optional<CertificateDetail> detail(String sha256);

  /** The posture summary now. */
  PostureSummary posture();

  /**
   * Binds a certificate. A {@link BindingKind#DEVICE} binding sets the registry's bound certificate
   * of that (registered) device, replacing the device's previous one, and is refused when the
   * certificate is bound to another device.
   */
  BindOutcome bind(String sha256, BindingKind kind, String target);

  /** Removes a binding; whether there was one. */
  boolean unbind(String sha256, BindingKind kind, String target);

  /** Moves the certificate's renewal workflow, recording the change with its actor. */
  RenewalOutcome renewal(
      String sha256,
      RenewalState to,
      Optional<String> reason,
      Optional<String> replacementSha256,
      String actor);

  /**
   * Re-evaluates every certificate's chain against the configured anchors and the intermediates now
   * known (after the anchors changed). Returns how many verdicts changed.
   */
  int reevaluateTrust();

  /** Closes the connections kept for reuse. */
  @Override
  void close();
}

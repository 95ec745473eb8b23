package io.auditgate.controlplane.inventory;

import io.auditgate.certs.x509.ChainValidator;
import io.auditgate.controlplane.internal.inventory.JdbcCertificateInventory;
import io.auditgate.store.StoreOptions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collection;

/** Builds the inventory. */
public final class Inventories {
  private Inventories() {}

  /**
   * The inventory over the store's database (migrated to V51 or later).
   *
   * @param trustAnchors the anchors chains are validated against (the CA's root, imported external
   *     CAs); with none, every certificate is untrusted ({@code no_trust_anchors})
   */
  public static CertificateInventory jdbc(
      StoreOptions store,
      Clock clock,
      RevocationView revocations,
      Collection<X509Certificate> trustAnchors,
      InventoryPolicy policy) {
    return new JdbcCertificateInventory(
        store, clock, revocations, new ChainValidator(trustAnchors), policy);
  }

  /**
   * The alert rules per certificate over the inventory's tables ({@code certificate_alerts}'s
   * source): the same cached columns and predicates as {@link CertificateInventory#posture()}.
   * Thread-safe; each call blocks on one query.
   */
  public static io.auditgate.controlplane.alerts.AlertConditions alertConditions(
      StoreOptions store, RevocationView revocations, InventoryPolicy policy) {
    return new io.auditgate.controlplane.internal.inventory.PostureAlertConditions(
        store, revocations, policy);
  }
}

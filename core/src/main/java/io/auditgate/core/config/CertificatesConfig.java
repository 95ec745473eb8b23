package io.auditgate.core.config;

import static io.auditgate.core.config.Check.orDefault;

/**
 * Section {@code certificates}: the certificate control plane, one subsection per concern. Every
 * subsection is optional and gets its own defaults; each validates its own keys. Immutable, hence
 * safe to share between threads. The tree and the keys it replaced: docs/certificates.md.
 *
 * @param enrolment {@code certificates.enrolment}: the CA's device enrolment (EST) on the web
 *     server
 * @param revocation {@code certificates.revocation}: CRL and OCSP publication, and the listeners'
 *     refusal of revoked certificates
 * @param inventory {@code certificates.inventory}: the certificate inventory's status rules, trust
 *     anchors and scans
 * @param renewal {@code certificates.renewal}: automatic renewal and the replacement workflow's
 *     deadlines
 * @param alerts {@code certificates.alerts}: how often certificate alerts are evaluated, and their
 *     webhook
 */
public record CertificatesConfig(
    EnrolmentConfig enrolment,
    RevocationConfig revocation,
    CertificateInventoryConfig inventory,
    CertificateRenewalConfig renewal,
    CertificateAlertsConfig alerts) {
  public CertificatesConfig {
    enrolment = orDefault(enrolment, EnrolmentConfig.defaults());
    revocation = orDefault(revocation, RevocationConfig.defaults());
    inventory = orDefault(inventory, CertificateInventoryConfig.defaults());
    renewal = orDefault(renewal, CertificateRenewalConfig.defaults());
    alerts = orDefault(alerts, CertificateAlertsConfig.defaults());
  }

  public static CertificatesConfig defaults() {
    return new CertificatesConfig(null, null, null, null, null);
  }

  /** The same with {@code enrolment} replaced. */
  public CertificatesConfig withEnrolment(EnrolmentConfig enrolment) {
    return new CertificatesConfig(enrolment, revocation, inventory, renewal, alerts);
  }

  /** The same with {@code revocation} replaced. */
  public CertificatesConfig withRevocation(RevocationConfig revocation) {
    return new CertificatesConfig(enrolment, revocation, inventory, renewal, alerts);
  }

  /** The same with {@code inventory} replaced. */
  public CertificatesConfig withInventory(CertificateInventoryConfig inventory) {
    return new CertificatesConfig(enrolment, revocation, inventory, renewal, alerts);
  }

  /** The same with {@code renewal} replaced. */
  public CertificatesConfig withRenewal(CertificateRenewalConfig renewal) {
    return new CertificatesConfig(enrolment, revocation, inventory, renewal, alerts);
  }

  /** The same with {@code alerts} replaced. */
  public CertificatesConfig withAlerts(CertificateAlertsConfig alerts) {
    return new CertificatesConfig(enrolment, revocation, inventory, renewal, alerts);
  }
}

package io.auditgate.app.revocation;

import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.controlplane.revocation.CertificateSource;
import io.auditgate.controlplane.revocation.CrlSchedule;
import io.auditgate.controlplane.revocation.RevocationOptions;
import io.auditgate.controlplane.revocation.Revocations;
import io.auditgate.core.config.RevocationConfig;
import io.auditgate.store.StoreOptions;
import io.auditgate.web.http.Route;
import io.auditgate.web.revocation.RevocationRoutes;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The control plane's revocation as a node runs it: the {@link Revocations} service over the store,
 * a schedule that re-signs the CRL before it expires, the {@code /crl} and {@code /ocsp} routes for
 * the web server, and a {@link CrlSource} over the published CRL for a gateway in the same process.
 *
 * <p>Thread-safety: thread-safe; {@link #close()} stops the schedule.
 */
public final class ControlPlaneRevocation implements AutoCloseable {
  /** How often the schedule asks whether the CRL is due; cheap (one row read). */
  static final Duration SCHEDULE_CHECK = Duration.ofMinutes(1);

  private final Revocations revocations;
  private final CrlSchedule schedule;

  private ControlPlaneRevocation(Revocations revocations, CrlSchedule schedule) {
    this.revocations = revocations;
    this.schedule = schedule;
  }

  /**
   * @param certificates finds certificates revoked by fingerprint (the inventory); {@link
   *     CertificateSource#none()} until it is wired
   */
  public static ControlPlaneRevocation start(
      StoreOptions store,
      DevCertificateAuthority ca,
      CertificateSource certificates,
      RevocationConfig config,
      Clock clock) {
    Revocations revocations =
        Revocations.over(
            store,
            ca.revocationAuthority(),
            certificates,
            new RevocationOptions(config.crlValidity(), config.ocspValidity()),
            clock);
    return new ControlPlaneRevocation(revocations, CrlSchedule.start(revocations, SCHEDULE_CHECK));
  }

  public Revocations revocations() {
    return revocations;
  }

  /** {@code GET /crl/<name>.crl}, {@code POST /ocsp}, {@code GET /ocsp/<base64>}. */
  public List<Route> routes() {
    return new RevocationRoutes(revocations).routes();
  }

  /** The published CRL read from the store, for a gateway running in the same node. */
  public CrlSource crlSource() {
    return () -> {
      try {
        return revocations.crl(revocations.crlName()).orElseThrow().der();
      } catch (RuntimeException e) {
        throw new IOException("cannot read the published CRL: " + e.getMessage(), e);
      }
    };
  }

  @Override
  public void close() {
    schedule.close();
  }
}

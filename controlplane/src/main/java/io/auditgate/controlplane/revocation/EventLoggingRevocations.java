package io.auditgate.controlplane.revocation;

import io.auditgate.controlplane.CertificateEventLog;
import io.auditgate.store.StoreOptions;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Revocations} that also writes each new revocation into the certificate event log ({@code
 * certificate_events}, kind {@code revoked}), so that the certificate's timeline shows it. The
 * event is written after the revocation committed (the revocation owns its transaction and its CRL
 * lock); a failure to write it is logged and does not undo the revocation, which stays the record
 * of truth in {@code certificate_revocations}. Revocations by serial alone have no fingerprint and
 * so no timeline entry.
 *
 * <p>Thread-safe as the delegate is; blocks on the database.
 */
public final class EventLoggingRevocations implements Revocations {
  private static final Logger log = LoggerFactory.getLogger(EventLoggingRevocations.class);

  private final Revocations delegate;
  private final StoreOptions store;

  public EventLoggingRevocations(Revocations delegate, StoreOptions store) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public RevokeOutcome revoke(RevokeRequest request) {
    RevokeOutcome outcome = delegate.revoke(request);
    if (outcome instanceof RevokeOutcome.Revoked revoked) {
      RevocationRecord r = revoked.record();
      r.certificateSha256().ifPresent(sha256 -> append(sha256, r, revoked.crl()));
    }
    return outcome;
  }

  private void append(String sha256, RevocationRecord r, PublishedCrl crl) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("reason", r.reason());
    details.put("serial", r.serialHex());
    details.put("issuer", r.issuer());
    details.put("by", r.revokedBy());
    r.comment().ifPresent(c -> details.put("comment", c));
    details.put("crl_number", crl.number().toString());
    try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.driverProperties())) {
      CertificateEventLog.append(
          c,
          sha256,
          r.revokedAt(),
          "revoked",
          "revoked (" + r.reason() + ") by " + r.revokedBy(),
          details);
    } catch (SQLException | RuntimeException e) {
      log.warn(
          "revocation of {} not written to the certificate event log: {}", sha256, e.toString());
    }
  }

  @Override
  public Optional<RevocationRecord> bySha256(String sha256) {
    return delegate.bySha256(sha256);
  }

  @Override
  public Optional<RevocationRecord> bySerial(BigInteger serial) {
    return delegate.bySerial(serial);
  }

  @Override
  public String crlName() {
    return delegate.crlName();
  }

  @Override
  public Optional<PublishedCrl> crl(String name) {
    return delegate.crl(name);
  }

  @Override
  public PublishedCrl refreshCrlIfDue() {
    return delegate.refreshCrlIfDue();
  }

  @Override
  public PublishedCrl regenerateCrl() {
    return delegate.regenerateCrl();
  }

  @Override
  public OcspReply ocsp(byte[] request) {
    return delegate.ocsp(request);
  }

  @Override
  public List<RevocationRecord> list(int limit, int offset) {
    return delegate.list(limit, offset);
  }
}

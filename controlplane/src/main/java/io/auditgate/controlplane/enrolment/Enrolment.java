package io.auditgate.controlplane.enrolment;

import io.auditgate.certs.CertificateBundles;
import io.auditgate.certs.CsrIssuance;
import io.auditgate.certs.CsrIssuer;
import io.auditgate.certs.CsrRefusal;
import io.auditgate.certs.DeviceCertificateCheck;
import io.auditgate.certs.DeviceCertificateVerifier;
import io.auditgate.controlplane.internal.enrolment.EnrolmentTables;
import io.auditgate.controlplane.internal.enrolment.TokenSecrets;
import io.auditgate.core.secret.TokenFormat;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.store.StoreOptions;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues device certificates from CSRs for the three ways a device (or its operator) asks: first
 * enrolment with a one-time token (EST {@code simpleenroll}), re-enrolment with the current
 * certificate (EST {@code simplereenroll}), and offline issuance by an operator.
 *
 * <p>Atomicity: an issuance is recorded in {@code certificate_issuances} and, for a token, the
 * token consumed, in one database transaction, and the certificate is handed out only after it
 * commits. A crash before the commit leaves the token unused and no record (the signed certificate
 * never left memory); after it, both. Two requests with one token queue on the token's row lock;
 * the second is refused {@code token_used}. A refused request writes nothing and does not consume
 * the token, so a device can correct its CSR and retry.
 *
 * <p>Thread-safety: thread-safe; every call blocks for one connection and one short transaction.
 * Listeners are called after the commit on the calling thread.
 *
 * @throws UnableToEnrolException from the enrolment methods when the database cannot be used
 */
public final class Enrolment {
  private static final Logger log = LoggerFactory.getLogger(Enrolment.class);

  private final StoreOptions store;
  private final CsrIssuer issuer;
  private final DeviceCertificateVerifier verifier;
  private final RevocationStatus revocation;
  private final List<IssuanceListener> listeners;
  private final Clock clock;
  private final Optional<RenewalRequests> renewals;

  /**
   * @param issuer the CA and CSR policy certificates are issued with
   * @param revocation whether a re-enrolling device's current certificate is revoked
   * @param listeners told about each committed issuance, in this order
   */
  public Enrolment(
      StoreOptions store,
      CsrIssuer issuer,
      RevocationStatus revocation,
      List<IssuanceListener> listeners,
      Clock clock) {
    this(store, issuer, revocation, listeners, clock, Optional.empty());
  }

  private Enrolment(
      StoreOptions store,
      CsrIssuer issuer,
      RevocationStatus revocation,
      List<IssuanceListener> listeners,
      Clock clock,
      Optional<RenewalRequests> renewals) {
    this.store = Objects.requireNonNull(store, "store");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.verifier = issuer.verifier();
    this.revocation = Objects.requireNonNull(revocation, "revocation");
    this.listeners = List.copyOf(listeners);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.renewals = renewals;
  }

  /**
   * The same service, recording a re-enrolment that answers a pending MQTT renewal request as
   * {@link IssuanceMethod#MQTT_RENEWAL}.
   */
  public Enrolment withRenewalRequests(RenewalRequests requests) {
    return new Enrolment(store, issuer, revocation, listeners, clock, Optional.of(requests));
  }

  /** The CA certificates a device should trust and send with its own: issuing CA, then root. */
  public List<X509Certificate> caCertificates() {
    return issuer.caCertificates();
  }

  /** {@link #caCertificates()} as a DER certs-only PKCS#7 (EST {@code /cacerts}). */
  public byte[] caCertificatesPkcs7() {
    return CertificateBundles.pkcs7CertsOnly(issuer.caCertificates());
  }

  /** A certificate chain as a DER certs-only PKCS#7 (EST's enrolment response). */
  public static byte[] pkcs7(List<X509Certificate> chain) {
    return CertificateBundles.pkcs7CertsOnly(chain);
  }

  /**
   * First enrolment: the token must exist, be unused and unexpired, and the CSR must name the
   * token's device and pass the CSR policy.
   *
   * @param token the enrolment token's secret ({@code aget_…})
   * @param csr a PKCS#10 request, DER or PEM
   */
  public EnrolmentOutcome simpleEnroll(String token, byte[] csr) {
    if (!TokenSecrets.wellFormed(token)) {
      return notify(
          refused(
              EnrolmentRefusal.Kind.UNAUTHENTICATED,
              "token_unknown",
              "the enrolment token is malformed or unknown"));
    }
    byte[] hash = TokenSecrets.sha256(token);
    Instant now = clock.instant();
    EnrolmentOutcome outcome =
        transaction(
            c -> {
              Optional<EnrolmentTables.TokenRow> found = EnrolmentTables.lockToken(c, hash);
              if (found.isEmpty()) {
                return refused(
                    EnrolmentRefusal.Kind.UNAUTHENTICATED,
                    "token_unknown",
                    "the enrolment token is malformed or unknown");
              }
              EnrolmentTables.TokenRow row = found.get();
              if (row.usedAt().isPresent()) {
                return refused(
                    EnrolmentRefusal.Kind.UNAUTHENTICATED,
                    "token_used",
                    "the enrolment token was already used at " + row.usedAt().get());
              }
              if (!now.isBefore(row.expiresAt())) {
                return refused(
                    EnrolmentRefusal.Kind.UNAUTHENTICATED,
                    "token_expired",
                    "the enrolment token expired at " + row.expiresAt());
              }
              CsrIssuance issuance = issuer.issue(csr, row.deviceId());
              if (issuance instanceof CsrIssuance.Refused r) {
                return refusedCsr(r);
              }
              CsrIssuance.Issued issued = (CsrIssuance.Issued) issuance;
              IssuanceRecord record =
                  EnrolmentTables.insertIssuance(
                      c,
                      row.deviceId(),
                      issued.certificate(),
                      IssuanceMethod.ENROLL,
                      now,
                      Optional.empty());
              EnrolmentTables.consumeToken(c, row.id(), now, record.id());
              return new EnrolmentOutcome.Issued(record, issued.chain());
            });
    return notify(outcome);
  }

  /**
   * Re-enrolment: the current certificate must chain to this CA, be valid now, name a device, not
   * be revoked, and the CSR must name the same device.
   *
   * @param current the certificate chain the client authenticated with (TLS), leaf first
   * @param csr a PKCS#10 request, DER or PEM
   */
  public EnrolmentOutcome simpleReenroll(List<X509Certificate> current, byte[] csr) {
    return reenroll(current, csr, IssuanceMethod.REENROLL);
  }

  /**
   * As {@link #simpleReenroll}, recorded with another method. {@link IssuanceMethod#REENROLL}
   * becomes {@link IssuanceMethod#MQTT_RENEWAL} when a renewal request for the device is pending
   * ({@link #withRenewalRequests}).
   */

  /** As {@link #simpleReenroll}, recorded with another method (a renewal the gateway asked for). */
  public EnrolmentOutcome reenroll(
      List<X509Certificate> current, byte[] csr, IssuanceMethod method) {
    Objects.requireNonNull(method, "method");
    Instant now = clock.instant();
    DeviceCertificateCheck check = verifier.verify(current, now);
    if (check instanceof DeviceCertificateCheck.Invalid invalid) {
      return notify(
          refused(EnrolmentRefusal.Kind.UNAUTHENTICATED, invalid.code(), invalid.message()));
    }
    DeviceCertificateCheck.Valid valid = (DeviceCertificateCheck.Valid) check;
    if (revocation.isRevoked(valid.certificate())) {
      return notify(
          refused(
              EnrolmentRefusal.Kind.FORBIDDEN,
              "certificate_revoked",
              "the certificate presented for re-enrolment has been revoked"));
    }
    CsrIssuance issuance = issuer.issue(csr, valid.deviceId());
    if (issuance instanceof CsrIssuance.Refused r) {
      return notify(refusedCsr(r));
    }
    CsrIssuance.Issued issued = (CsrIssuance.Issued) issuance;
    Optional<String> previous = Optional.of(sha256(valid.certificate()));
    IssuanceMethod recorded =
        method == IssuanceMethod.REENROLL
                && renewals.map(r -> r.pending(valid.deviceId())).orElse(false)
            ? IssuanceMethod.MQTT_RENEWAL
            : method;
    EnrolmentOutcome outcome =
        transaction(
            c ->
                new EnrolmentOutcome.Issued(
                    EnrolmentTables.insertIssuance(
                        c, valid.deviceId(), issued.certificate(), recorded, now, previous),
                    issued.chain()));
    if (recorded == IssuanceMethod.MQTT_RENEWAL) {
      renewals.ifPresent(r -> r.fulfilled(valid.deviceId()));
    }
    return notify(outcome);
  }

  /**
   * Offline issuance by an operator, who vouches for the device id (the CLI's {@code certs issue}).
   *
   * @throws IllegalArgumentException if {@code deviceId} is not a device id
   */
  public EnrolmentOutcome issueForOperator(String deviceId, byte[] csr) {
    if (!Telemetry.isDeviceId(deviceId)) {
      throw new IllegalArgumentException(
          "device id must match " + Telemetry.DEVICE_ID + ", got '" + deviceId + "'");
    }
    Instant now = clock.instant();
    CsrIssuance issuance = issuer.issue(csr, deviceId);
    if (issuance instanceof CsrIssuance.Refused r) {
      return notify(refusedCsr(r));
    }
    CsrIssuance.Issued issued = (CsrIssuance.Issued) issuance;
    return notify(
        transaction(
            c ->
                new EnrolmentOutcome.Issued(
                    EnrolmentTables.insertIssuance(
                        c,
                        deviceId,
                        issued.certificate(),
                        IssuanceMethod.OPERATOR,
                        now,
                        Optional.empty()),
                    issued.chain())));
  }

  /** Every certificate issued to {@code deviceId}, oldest first. */
  public List<IssuanceRecord> issuances(String deviceId) {
    try (Connection c = connect()) {
      return EnrolmentTables.issuances(c, deviceId);
    } catch (SQLException e) {
      throw new UnableToEnrolException(
          "cannot read the issuances of " + deviceId + ": " + e.getMessage(), e);
    }
  }

  private EnrolmentOutcome notify(EnrolmentOutcome outcome) {
    if (outcome instanceof EnrolmentOutcome.Issued issued) {
      log.info(
          "issued certificate serial {} to device {} ({})",
          issued.record().serialHex(),
          issued.record().deviceId(),
          issued.record().method().label());
      for (IssuanceListener listener : listeners) {
        try {
          listener.issued(issued.record());
        } catch (RuntimeException e) {
          log.warn(
              "an issuance listener failed for serial {} (the issuance stands): {}",
              issued.record().serialHex(),
              e.toString());
        }
      }
    } else if (outcome instanceof EnrolmentOutcome.Refused refused) {
      log.info(
          "refused an enrolment: {} ({})", refused.refusal().code(), refused.refusal().message());
    }
    return outcome;
  }

  @FunctionalInterface
  private interface Work {
    EnrolmentOutcome run(Connection c) throws SQLException;
  }

  /** Commits when the work issued, rolls back when it refused. */
  private EnrolmentOutcome transaction(Work work) {
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try {
        EnrolmentOutcome outcome = work.run(c);
        if (outcome instanceof EnrolmentOutcome.Issued) {
          c.commit();
        } else {
          c.rollback();
        }
        return outcome;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new UnableToEnrolException(
          "cannot record an issuance in " + store.redactedUrl() + ": " + e.getMessage(), e);
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(store.jdbcUrl(), store.driverProperties());
  }

  private static EnrolmentOutcome refusedCsr(CsrIssuance.Refused refused) {
    // Asking for another device's identity is an authorisation failure, the rest a bad request.
    EnrolmentRefusal.Kind kind =
        refused.reason() == CsrRefusal.IDENTITY_MISMATCH
            ? EnrolmentRefusal.Kind.FORBIDDEN
            : EnrolmentRefusal.Kind.BAD_REQUEST;
    return refused(kind, refused.reason().code(), refused.message());
  }

  private static EnrolmentOutcome refused(EnrolmentRefusal.Kind kind, String code, String message) {
    return new EnrolmentOutcome.Refused(new EnrolmentRefusal(kind, code, message));
  }

  private static String sha256(X509Certificate certificate) {
    try {
      return HexFormat.of().formatHex(TokenFormat.sha256(certificate.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a validated certificate cannot be encoded", e);
    }
  }
}

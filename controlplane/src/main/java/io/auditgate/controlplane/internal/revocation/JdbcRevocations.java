package io.auditgate.controlplane.internal.revocation;

import io.auditgate.certs.OcspAnswer;
import io.auditgate.certs.RevocationAuthority;
import io.auditgate.certs.RevocationReason;
import io.auditgate.certs.RevokedSerial;
import io.auditgate.certs.SignedCrl;
import io.auditgate.controlplane.revocation.CertificateSource;
import io.auditgate.controlplane.revocation.OcspReply;
import io.auditgate.controlplane.revocation.PublishedCrl;
import io.auditgate.controlplane.revocation.RevocationOptions;
import io.auditgate.controlplane.revocation.RevocationRecord;
import io.auditgate.controlplane.revocation.RevocationTarget;
import io.auditgate.controlplane.revocation.Revocations;
import io.auditgate.controlplane.revocation.RevokeOutcome;
import io.auditgate.controlplane.revocation.RevokeRequest;
import io.auditgate.controlplane.revocation.UnableToUseRevocationsException;
import io.auditgate.store.StoreOptions;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Revocations} over PostgreSQL. A connection per call: revocations are rare and CRL fetches
 * are served from one row, so a pool would add a lifecycle for little.
 *
 * <p>Times are cut to whole seconds before they are stored, because CRLs and OCSP responses encode
 * seconds: what the table says and what a relying party sees are then the same instant.
 */
public final class JdbcRevocations implements Revocations {
  private static final Logger log = LoggerFactory.getLogger(JdbcRevocations.class);
  static final String CRL_NAME = "issuing-ca";
  private static final String COLUMNS =
      "issuer, serial_hex, certificate_sha256, reason, revoked_at, revoked_by, comment";

  private final StoreOptions store;
  private final RevocationAuthority authority;
  private final CertificateSource certificates;
  private final RevocationOptions options;
  private final Clock clock;
  private final String issuer;

  public JdbcRevocations(
      StoreOptions store,
      RevocationAuthority authority,
      CertificateSource certificates,
      RevocationOptions options,
      Clock clock) {
    this.store = store;
    this.authority = authority;
    this.certificates = certificates;
    this.options = options;
    this.clock = clock;
    this.issuer = authority.issuerName();
  }

  @Override
  public RevokeOutcome revoke(RevokeRequest request) {
    Optional<RevocationReason> reason = RevocationReason.parse(request.reason());
    if (reason.isEmpty()) {
      return new RevokeOutcome.InvalidReason(request.reason(), RevocationReason.names());
    }
    BigInteger serial;
    Optional<String> sha256;
    RevocationTarget target = request.target();
    if (target instanceof RevocationTarget.Sha256 bySha) {
      Optional<RevocationRecord> existing = bySha256(bySha.sha256());
      if (existing.isPresent()) {
        return new RevokeOutcome.AlreadyRevoked(existing.get());
      }
      Optional<X509Certificate> found = certificates.bySha256(bySha.sha256());
      if (found.isEmpty()) {
        return new RevokeOutcome.UnknownCertificate(bySha.sha256());
      }
      target = new RevocationTarget.Certificate(found.get());
    }
    if (target instanceof RevocationTarget.Certificate byCertificate) {
      X509Certificate certificate = byCertificate.certificate();
      if (!issuedHere(certificate)) {
        return new RevokeOutcome.NotIssuedHere(
            certificate.getIssuerX500Principal().getName(), issuer);
      }
      serial = certificate.getSerialNumber();
      sha256 = Optional.of(sha256(certificate));
    } else {
      serial = ((RevocationTarget.Serial) target).serial();
      sha256 = Optional.empty();
    }
    RevocationRecord record =
        new RevocationRecord(
            issuer,
            serial,
            sha256,
            reason.get().rfcName(),
            clock.instant().truncatedTo(ChronoUnit.SECONDS),
            request.revokedBy(),
            request.comment());
    Optional<RevocationRecord> inserted = insert(record);
    if (inserted.isEmpty()) {
      return new RevokeOutcome.AlreadyRevoked(keepFirst(serial, sha256));
    }
    log.info(
        "revoked serial {} of {} ({}) by {}",
        record.serialHex(),
        issuer,
        record.reason(),
        record.revokedBy());
    return new RevokeOutcome.Revoked(inserted.get(), regenerateCrl());
  }

  @Override
  public Optional<RevocationRecord> bySha256(String sha256) {
    return read(
        "a revocation",
        c ->
            one(
                c,
                "SELECT " + COLUMNS + " FROM certificate_revocations WHERE certificate_sha256 = ?",
                sha256));
  }

  @Override
  public Optional<RevocationRecord> bySerial(BigInteger serial) {
    return read(
        "a revocation",
        c ->
            one(
                c,
                "SELECT "
                    + COLUMNS
                    + " FROM certificate_revocations WHERE issuer = ? AND serial_hex = ?",
                issuer,
                serial.toString(16)));
  }

  @Override
  public List<RevocationRecord> list(int limit, int offset) {
    if (limit < 1 || limit > 1000 || offset < 0) {
      throw new IllegalArgumentException(
          "limit must be 1-1000 and offset >= 0, got " + limit + " and " + offset);
    }
    return read(
        "revocations",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM certificate_revocations ORDER BY revoked_at DESC, serial_hex"
                      + " LIMIT ? OFFSET ?")) {
            ps.setInt(1, limit);
            ps.setInt(2, offset);
            List<RevocationRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(record(rs));
              }
            }
            return out;
          }
        });
  }

  @Override
  public String crlName() {
    return CRL_NAME;
  }

  @Override
  public Optional<PublishedCrl> crl(String name) {
    if (!CRL_NAME.equals(name)) {
      return Optional.empty();
    }
    return Optional.of(refreshCrlIfDue());
  }

  @Override
  public PublishedCrl refreshCrlIfDue() {
    Optional<PublishedCrl> published = published();
    Instant now = clock.instant();
    if (published.isPresent()
        && now.isBefore(published.get().thisUpdate().plus(options.crlRefreshAfter()))) {
      return published.get();
    }
    return regenerateCrl();
  }

  @Override
  public PublishedCrl regenerateCrl() {
    return transaction(
        "the CRL",
        c -> {
          // Serialises regenerations (here and in other processes) so numbers only grow and the
          // last CRL written lists every revocation committed before it.
          try (PreparedStatement lock =
              c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('auditgate.crl:' || ?))")) {
            lock.setString(1, issuer);
            lock.executeQuery().close();
          }
          BigInteger number = BigInteger.ONE;
          try (PreparedStatement ps =
              c.prepareStatement("SELECT crl_number FROM published_crls WHERE issuer = ?")) {
            ps.setString(1, issuer);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                number = rs.getBigDecimal(1).toBigIntegerExact().add(BigInteger.ONE);
              }
            }
          }
          List<RevokedSerial> entries = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT serial_hex, revoked_at, reason FROM certificate_revocations"
                      + " WHERE issuer = ? ORDER BY serial_hex")) {
            ps.setString(1, issuer);
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                entries.add(
                    new RevokedSerial(
                        new BigInteger(rs.getString(1), 16),
                        rs.getTimestamp(2).toInstant(),
                        RevocationReason.parse(rs.getString(3)).orElseThrow()));
              }
            }
          }
          Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
          SignedCrl signed = authority.crl(number, entries, now, options.crlValidity());
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO published_crls"
                      + " (issuer, crl_number, der, this_update, next_update, entries)"
                      + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (issuer) DO UPDATE SET"
                      + " crl_number = EXCLUDED.crl_number, der = EXCLUDED.der,"
                      + " this_update = EXCLUDED.this_update, next_update = EXCLUDED.next_update,"
                      + " entries = EXCLUDED.entries")) {
            ps.setString(1, issuer);
            ps.setBigDecimal(2, new BigDecimal(signed.number()));
            ps.setBytes(3, signed.der());
            ps.setTimestamp(4, Timestamp.from(signed.thisUpdate()));
            ps.setTimestamp(5, Timestamp.from(signed.nextUpdate()));
            ps.setInt(6, signed.entries());
            ps.executeUpdate();
          }
          return new PublishedCrl(
              CRL_NAME,
              signed.der(),
              signed.number(),
              signed.thisUpdate(),
              signed.nextUpdate(),
              signed.entries());
        });
  }

  @Override
  public OcspReply ocsp(byte[] request) {
    OcspAnswer answer =
        authority.ocsp(
            request,
            serial ->
                bySerial(serial)
                    .map(
                        r ->
                            new RevokedSerial(
                                r.serial(),
                                r.revokedAt(),
                                RevocationReason.parse(r.reason()).orElseThrow())),
            clock.instant().truncatedTo(ChronoUnit.SECONDS),
            options.ocspValidity());
    return new OcspReply(answer.der(), answer.status().name().toLowerCase(Locale.ROOT));
  }

  private Optional<PublishedCrl> published() {
    return read(
        "the CRL",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT crl_number, der, this_update, next_update, entries FROM published_crls"
                      + " WHERE issuer = ?")) {
            ps.setString(1, issuer);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new PublishedCrl(
                      CRL_NAME,
                      rs.getBytes(2),
                      rs.getBigDecimal(1).toBigIntegerExact(),
                      rs.getTimestamp(3).toInstant(),
                      rs.getTimestamp(4).toInstant(),
                      rs.getInt(5)));
            }
          }
        });
  }

  private Optional<RevocationRecord> insert(RevocationRecord r) {
    return transaction(
        "a revocation",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO certificate_revocations ("
                      + COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (issuer, serial_hex) DO NOTHING"
                      + " RETURNING "
                      + COLUMNS)) {
            ps.setString(1, r.issuer());
            ps.setString(2, r.serialHex());
            ps.setString(3, r.certificateSha256().orElse(null));
            ps.setString(4, r.reason());
            ps.setTimestamp(5, Timestamp.from(r.revokedAt()));
            ps.setString(6, r.revokedBy());
            ps.setString(7, r.comment().orElse(null));
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(record(rs)) : Optional.empty();
            }
          }
        });
  }

  /** The first revocation stays; a fingerprint learnt now is added if it was missing. */
  private RevocationRecord keepFirst(BigInteger serial, Optional<String> sha256) {
    return transaction(
        "a revocation",
        c -> {
          if (sha256.isPresent()) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE certificate_revocations SET certificate_sha256 = ?"
                        + " WHERE issuer = ? AND serial_hex = ? AND certificate_sha256 IS NULL")) {
              ps.setString(1, sha256.get());
              ps.setString(2, issuer);
              ps.setString(3, serial.toString(16));
              ps.executeUpdate();
            }
          }
          return one(
                  c,
                  "SELECT "
                      + COLUMNS
                      + " FROM certificate_revocations WHERE issuer = ? AND serial_hex = ?",
                  issuer,
                  serial.toString(16))
              .orElseThrow();
        });
  }

  /** Same issuer name and a signature the issuing CA's key verifies: not just a look-alike. */
  private boolean issuedHere(X509Certificate certificate) {
    if (!certificate
        .getIssuerX500Principal()
        .equals(authority.issuer().getSubjectX500Principal())) {
      return false;
    }
    try {
      certificate.verify(authority.issuer().getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static String sha256(X509Certificate certificate) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }

  private static Optional<RevocationRecord> one(Connection c, String sql, String... params)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(record(rs)) : Optional.empty();
      }
    }
  }

  private static RevocationRecord record(ResultSet rs) throws SQLException {
    return new RevocationRecord(
        rs.getString("issuer"),
        new BigInteger(rs.getString("serial_hex"), 16),
        Optional.ofNullable(rs.getString("certificate_sha256")),
        rs.getString("reason"),
        rs.getTimestamp("revoked_at").toInstant(),
        rs.getString("revoked_by"),
        Optional.ofNullable(rs.getString("comment")));
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private Connection open() throws SQLException {
    return DriverManager.getConnection(store.jdbcUrl(), store.driverProperties());
  }

  private <T> T read(String what, Work<T> work) {
    try (Connection c = open()) {
      c.setReadOnly(true);
      return work.run(c);
    } catch (SQLException e) {
      throw new UnableToUseRevocationsException(
          "cannot read " + what + " from " + store.redactedUrl() + ": " + e.getMessage(), e);
    }
  }

  private <T> T transaction(String what, Work<T> work) {
    try (Connection c = open()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new UnableToUseRevocationsException(
          "cannot write " + what + " to " + store.redactedUrl() + ": " + e.getMessage(), e);
    }
  }
}

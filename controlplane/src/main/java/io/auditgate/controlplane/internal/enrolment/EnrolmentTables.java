package io.auditgate.controlplane.internal.enrolment;

import io.auditgate.controlplane.enrolment.IssuanceMethod;
import io.auditgate.controlplane.enrolment.IssuanceRecord;
import io.auditgate.core.secret.TokenFormat;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * SQL over {@code enrolment_tokens} and {@code certificate_issuances} (migration V50), on a
 * connection and transaction the caller owns. Stateless.
 */
public final class EnrolmentTables {
  private EnrolmentTables() {}

  /** A token row as the enrolment check needs it. */
  public record TokenRow(long id, String deviceId, Instant expiresAt, Optional<Instant> usedAt) {}

  /**
   * The token with this hash, locked until the transaction ends: two requests with the same token
   * queue here, and the second sees the first one's {@code used_at}.
   */
  public static Optional<TokenRow> lockToken(Connection c, byte[] sha256) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, device_id, expires_at, used_at FROM enrolment_tokens"
                + " WHERE token_sha256 = ? FOR UPDATE")) {
      ps.setBytes(1, sha256);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Timestamp used = rs.getTimestamp(4);
        return Optional.of(
            new TokenRow(
                rs.getLong(1),
                rs.getString(2),
                rs.getTimestamp(3).toInstant(),
                Optional.ofNullable(used).map(Timestamp::toInstant)));
      }
    }
  }

  public static long insertToken(
      Connection c, byte[] sha256, String deviceId, Instant createdAt, Instant expiresAt)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO enrolment_tokens (token_sha256, device_id, created_at, expires_at)"
                + " VALUES (?, ?, ?, ?) RETURNING id")) {
      ps.setBytes(1, sha256);
      ps.setString(2, deviceId);
      ps.setTimestamp(3, Timestamp.from(createdAt));
      ps.setTimestamp(4, Timestamp.from(expiresAt));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  public static void consumeToken(Connection c, long tokenId, Instant usedAt, long issuanceId)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE enrolment_tokens SET used_at = ?, issuance_id = ?"
                + " WHERE id = ? AND used_at IS NULL")) {
      ps.setTimestamp(1, Timestamp.from(usedAt));
      ps.setLong(2, issuanceId);
      ps.setLong(3, tokenId);
      if (ps.executeUpdate() != 1) {
        // The row is locked by this transaction; anything else is a bug worth a rollback.
        throw new SQLException("enrolment token " + tokenId + " was consumed concurrently");
      }
    }
  }

  /** Records an issued certificate. */
  public static IssuanceRecord insertIssuance(
      Connection c,
      String deviceId,
      X509Certificate certificate,
      IssuanceMethod method,
      Instant issuedAt,
      Optional<String> previousSha256)
      throws SQLException {
    byte[] der;
    try {
      der = certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a certificate we just signed cannot be encoded", e);
    }
    String serial = certificate.getSerialNumber().toString(16);
    String sha256 = HexFormat.of().formatHex(TokenFormat.sha256(der));
    Instant notBefore = certificate.getNotBefore().toInstant();
    Instant notAfter = certificate.getNotAfter().toInstant();
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO certificate_issuances (device_id, serial_hex, certificate_sha256, method,"
                + " issued_at, not_before, not_after, previous_sha256, certificate_der)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
      ps.setString(1, deviceId);
      ps.setString(2, serial);
      ps.setString(3, sha256);
      ps.setString(4, method.label());
      ps.setTimestamp(5, Timestamp.from(issuedAt));
      ps.setTimestamp(6, Timestamp.from(notBefore));
      ps.setTimestamp(7, Timestamp.from(notAfter));
      ps.setString(8, previousSha256.orElse(null));
      ps.setBytes(9, der);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new IssuanceRecord(
            rs.getLong(1),
            deviceId,
            serial,
            sha256,
            method,
            issuedAt,
            notBefore,
            notAfter,
            previousSha256,
            der);
      }
    }
  }

  /** Every issuance for a device, oldest first. */
  public static List<IssuanceRecord> issuances(Connection c, String deviceId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, device_id, serial_hex, certificate_sha256, method, issued_at, not_before,"
                + " not_after, previous_sha256, certificate_der FROM certificate_issuances"
                + " WHERE device_id = ? ORDER BY id")) {
      ps.setString(1, deviceId);
      try (ResultSet rs = ps.executeQuery()) {
        List<IssuanceRecord> out = new ArrayList<>();
        while (rs.next()) {
          out.add(
              new IssuanceRecord(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  IssuanceMethods.fromLabel(rs.getString(5)),
                  rs.getTimestamp(6).toInstant(),
                  rs.getTimestamp(7).toInstant(),
                  rs.getTimestamp(8).toInstant(),
                  Optional.ofNullable(rs.getString(9)),
                  rs.getBytes(10)));
        }
        return out;
      }
    }
  }

  private static final class IssuanceMethods {
    static IssuanceMethod fromLabel(String label) {
      for (IssuanceMethod method : IssuanceMethod.values()) {
        if (method.label().equals(label)) {
          return method;
        }
      }
      throw new IllegalStateException("certificate_issuances holds an unknown method " + label);
    }
  }
}

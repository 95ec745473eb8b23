package io.auditgate.controlplane.revocation;

import io.auditgate.controlplane.inventory.Revocation;
import io.auditgate.controlplane.inventory.RevocationView;
import io.auditgate.store.StoreOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The inventory's {@link RevocationView} over {@code certificate_revocations}: one query for the
 * whole list (the inventory asks once per list or posture read), not one per certificate. A
 * revocation made by serial alone (no fingerprint recorded) is matched to the inventory's
 * certificate with the same issuer and serial, so it shows as revoked too.
 *
 * <p>Thread-safe; every call opens a connection and blocks on one query; throws {@link
 * UnableToUseRevocationsException} when the store cannot be read.
 */
public final class InventoryRevocationView implements RevocationView {
  private static final String ALL =
      "SELECT coalesce(r.certificate_sha256, c.sha256), r.revoked_at, r.reason"
          + " FROM certificate_revocations r"
          + " LEFT JOIN certificates c ON r.certificate_sha256 IS NULL"
          + " AND c.issuer = r.issuer AND c.serial_hex = r.serial_hex";
  private static final String ONE = ALL + " WHERE coalesce(r.certificate_sha256, c.sha256) = ?";

  private final StoreOptions store;

  public InventoryRevocationView(StoreOptions store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public Optional<Revocation> revocation(String sha256) {
    List<Revocation> found = query(ONE, sha256);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  @Override
  public List<Revocation> revoked() {
    return query(ALL, null);
  }

  private List<Revocation> query(String sql, String sha256) {
    try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.driverProperties());
        PreparedStatement s = c.prepareStatement(sql)) {
      if (sha256 != null) {
        s.setString(1, sha256);
      }
      List<Revocation> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          if (rs.getString(1) != null) { // revoked by serial, certificate never seen
            out.add(
                new Revocation(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3)));
          }
        }
      }
      return out;
    } catch (SQLException e) {
      throw new UnableToUseRevocationsException("cannot read the revoked certificates", e);
    }
  }
}

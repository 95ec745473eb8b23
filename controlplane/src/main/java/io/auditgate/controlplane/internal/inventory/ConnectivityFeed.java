package io.auditgate.controlplane.internal.inventory;

import io.auditgate.controlplane.inventory.UnableToUseInventoryException;
import io.auditgate.store.StoreOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Connect events that carried a client certificate, read from {@code device_connectivity} after a
 * named watermark. Rows are read in id order; an id is assigned at insert, and a transaction that
 * commits after a later one could leave a row behind the watermark (the store writes connectivity
 * from one consumer per partition, in batches; see docs/certificates-inventory.md).
 *
 * <p>Not thread-safe; a connection per call.
 */
public final class ConnectivityFeed {
  /** One connect row. */
  public record Connect(
      long id,
      String gatewayId,
      String deviceId,
      Instant at,
      String protocol,
      String clientId,
      Optional<String> claimedSha256,
      byte[] der) {}

  private final StoreOptions store;
  private final String name;

  public ConnectivityFeed(StoreOptions store, String name) {
    this.store = Objects.requireNonNull(store, "store");
    this.name = Objects.requireNonNull(name, "name");
  }

  public List<Connect> next(int limit) {
    try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.driverProperties());
        PreparedStatement ps =
            c.prepareStatement(
                """
                SELECT id, gateway_id, device_id, at, coalesce(details ->> 'protocol', 'mqtt'),
                  coalesce(details ->> 'client_id', ''), details ->> 'certificate_sha256',
                  certificate_der
                FROM device_connectivity
                WHERE id > coalesce((SELECT last_id FROM certificate_collector_watermarks
                                     WHERE collector = ?), 0)
                  AND event = 'connected' AND certificate_der IS NOT NULL
                ORDER BY id LIMIT ?""")) {
      ps.setString(1, name);
      ps.setInt(2, limit);
      List<Connect> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Connect(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getObject(4, OffsetDateTime.class).toInstant(),
                  rs.getString(5),
                  rs.getString(6),
                  Optional.ofNullable(rs.getString(7)),
                  rs.getBytes(8)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new UnableToUseInventoryException(
          "cannot read connect events from " + store.redactedUrl() + ": " + e.getMessage(), e);
    }
  }

  public void advance(long lastId) {
    try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.driverProperties());
        PreparedStatement ps =
            c.prepareStatement(
                """
                INSERT INTO certificate_collector_watermarks (collector, last_id, updated_at)
                VALUES (?, ?, now())
                ON CONFLICT (collector) DO UPDATE SET
                  last_id = greatest(certificate_collector_watermarks.last_id, excluded.last_id),
                  updated_at = excluded.updated_at""")) {
      ps.setString(1, name);
      ps.setLong(2, lastId);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new UnableToUseInventoryException(
          "cannot move the watermark " + name + ": " + e.getMessage(), e);
    }
  }
}

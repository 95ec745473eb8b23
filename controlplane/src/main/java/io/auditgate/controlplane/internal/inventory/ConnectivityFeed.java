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
 * Connect events (MQTT {@code connected}, HTTPS {@code certificate_presented}) that carried a
 * client certificate, read from {@code device_connectivity} after a named watermark, in {@code
 * (stored_at, id)} order and only up to a horizon: the start of the oldest client transaction still
 * running, read in a statement of its own before the rows are read. {@code stored_at} is the
 * inserting transaction's start, so every row stored before the horizon was committed before the
 * rows are read, and none can appear behind the watermark later. A transaction left open holds the
 * horizon (sightings lag behind it; none are lost).
 *
 * <p>Not thread-safe; a connection per call.
 */
public final class ConnectivityFeed {
  /** One connect row. */
  public record Connect(
      long id,
      Instant storedAt,
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
    try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.driverProperties())) {
      OffsetDateTime horizon;
      try (PreparedStatement ps =
              c.prepareStatement(
                  """
                  SELECT coalesce(min(xact_start), clock_timestamp()) FROM pg_stat_activity
                  WHERE backend_type = 'client backend' AND xact_start IS NOT NULL
                    AND datname = current_database() AND pid <> pg_backend_pid()""");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        horizon = rs.getObject(1, OffsetDateTime.class);
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              """
              WITH wm AS (
                SELECT coalesce(max(last_at), '-infinity'::timestamptz) AS at,
                  coalesce(max(last_id), 0) AS id
                FROM certificate_collector_watermarks WHERE collector = ?)
              SELECT d.id, d.stored_at, d.gateway_id, d.device_id, d.at,
                coalesce(d.details ->> 'protocol', 'mqtt'), coalesce(d.details ->> 'client_id', ''),
                d.details ->> 'certificate_sha256', d.certificate_der
              FROM device_connectivity d, wm
              WHERE d.certificate_der IS NOT NULL
                AND (d.stored_at, d.id) > (wm.at, wm.id) AND d.stored_at < ?
                AND d.event IN ('connected', 'certificate_presented')
              ORDER BY d.stored_at, d.id LIMIT ?""")) {
        ps.setString(1, name);
        ps.setObject(2, horizon);
        ps.setInt(3, limit);
        List<Connect> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(
                new Connect(
                    rs.getLong(1),
                    rs.getObject(2, OffsetDateTime.class).toInstant(),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getObject(5, OffsetDateTime.class).toInstant(),
                    rs.getString(6),
                    rs.getString(7),
                    Optional.ofNullable(rs.getString(8)),
                    rs.getBytes(9)));
          }
        }
        return out;
      }
    } catch (SQLException e) {
      throw new UnableToUseInventoryException(
          "cannot read connect events from " + store.redactedUrl() + ": " + e.getMessage(), e);
    }
  }

  /** Moves the watermark to the last row handled (never back). */
  public void advance(Connect last) {
    try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.driverProperties());
        PreparedStatement ps =
            c.prepareStatement(
                """
                INSERT INTO certificate_collector_watermarks (collector, last_at, last_id,
                    updated_at)
                VALUES (?, ?, ?, now())
                ON CONFLICT (collector) DO UPDATE SET
                  last_at = excluded.last_at, last_id = excluded.last_id,
                  updated_at = excluded.updated_at
                WHERE (certificate_collector_watermarks.last_at,
                       certificate_collector_watermarks.last_id)
                    < (excluded.last_at, excluded.last_id)""")) {
      ps.setString(1, name);
      ps.setObject(2, OffsetDateTime.ofInstant(last.storedAt(), java.time.ZoneOffset.UTC));
      ps.setLong(3, last.id());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new UnableToUseInventoryException(
          "cannot move the watermark " + name + ": " + e.getMessage(), e);
    }
  }
}

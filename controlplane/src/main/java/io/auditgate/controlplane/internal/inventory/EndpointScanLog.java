package io.auditgate.controlplane.internal.inventory;

import io.auditgate.controlplane.inventory.UnableToUseInventoryException;
import io.auditgate.controlplane.inventory.discovery.ScanResult;
import io.auditgate.store.StoreOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps the last scan of each endpoint in {@code certificate_endpoint_scans}. Thread-safe: a
 * connection per call (scans are seconds apart).
 */
public final class EndpointScanLog {
  private static final String UPSERT =
      """
      INSERT INTO certificate_endpoint_scans (endpoint, scanned_at, outcome, message, protocol,
          cipher, leaf_sha256, last_success_at)
      VALUES (:endpoint, :at, :outcome, :message, :protocol, :cipher, :leaf, :success::timestamptz)
      ON CONFLICT (endpoint) DO UPDATE SET scanned_at = excluded.scanned_at,
        outcome = excluded.outcome, message = excluded.message,
        protocol = coalesce(excluded.protocol, certificate_endpoint_scans.protocol),
        cipher = coalesce(excluded.cipher, certificate_endpoint_scans.cipher),
        leaf_sha256 = coalesce(excluded.leaf_sha256, certificate_endpoint_scans.leaf_sha256),
        last_success_at = coalesce(excluded.last_success_at,
          certificate_endpoint_scans.last_success_at)""";

  private final StoreOptions store;

  public EndpointScanLog(StoreOptions store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** Records a scan; a failure keeps the last successful scan's protocol, cipher and leaf. */
  public void record(ScanResult result) {
    Map<String, Object> p = new HashMap<>();
    p.put("endpoint", result.endpoint().toString());
    p.put("at", result.at());
    p.put("message", null);
    p.put("protocol", null);
    p.put("cipher", null);
    p.put("leaf", null);
    p.put("success", null);
    if (result instanceof ScanResult.Scanned s) {
      p.put("outcome", "scanned");
      p.put("protocol", s.protocol());
      p.put("cipher", s.cipherSuite());
      p.put("leaf", s.chainSha256().get(0));
      p.put("success", s.at());
    } else if (result instanceof ScanResult.Failed f) {
      p.put("outcome", f.reason().code());
      p.put("message", f.message());
    }
    try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.driverProperties());
        PreparedStatement ps = Sql.prepare(c, UPSERT, p)) {
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new UnableToUseInventoryException(
          "cannot record the scan of " + result.endpoint() + ": " + e.getMessage(), e);
    }
  }
}

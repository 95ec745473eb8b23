package io.auditgate.controlplane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.store.StoreOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The certificate event log ({@code certificate_events}): every alert raised, acknowledged or
 * resolved, and whatever else the control plane does to a certificate, in order. Writers append
 * inside their own transaction, so an event exists exactly when the change it describes does.
 *
 * <p>Thread-safe: stateless; {@link #timeline} opens a connection per call and blocks on it.
 */
public final class CertificateEventLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INSERT =
      "INSERT INTO certificate_events (sha256, at, kind, summary, details)"
          + " VALUES (?, ?, ?, ?, ?::jsonb)";
  private static final String TIMELINE =
      "SELECT id, sha256, at, kind, summary, details::text FROM certificate_events"
          + " WHERE sha256 = ? ORDER BY id LIMIT ?";

  private final StoreOptions store;

  public CertificateEventLog(StoreOptions store) {
    this.store = store;
  }

  /** Appends an event in the caller's transaction. */
  public static void append(
      Connection c,
      String sha256,
      Instant at,
      String kind,
      String summary,
      Map<String, String> details)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(INSERT)) {
      s.setString(1, sha256);
      s.setTimestamp(2, Timestamp.from(at));
      s.setString(3, kind);
      s.setString(4, summary);
      s.setString(5, json(details));
      s.executeUpdate();
    }
  }

  /**
   * A certificate's events, oldest first, at most {@code limit}.
   *
   * @throws UnableToUseControlPlaneException when the store cannot be read
   */
  public List<CertificateEvent> timeline(String sha256, int limit) {
    try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.driverProperties());
        PreparedStatement s = c.prepareStatement(TIMELINE)) {
      s.setString(1, sha256);
      s.setInt(2, limit);
      List<CertificateEvent> events = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          events.add(
              new CertificateEvent(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getTimestamp(3).toInstant(),
                  rs.getString(4),
                  rs.getString(5),
                  details(rs.getString(6))));
        }
      }
      return events;
    } catch (SQLException e) {
      throw new UnableToUseControlPlaneException("cannot read the certificate event log", e);
    }
  }

  /** {@code details} as the JSON object stored in a {@code jsonb} column, keys sorted. */
  public static String json(Map<String, String> details) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(details));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("details cannot be written as JSON", e);
    }
  }

  /** A {@code jsonb} object of strings read back. */
  public static Map<String, String> details(String json) {
    try {
      return JSON.readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored details are not a JSON object of strings", e);
    }
  }
}

package io.auditgate.controlplane.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditgate.controlplane.CertificateEventLog;
import io.auditgate.controlplane.UnableToUseControlPlaneException;
import io.auditgate.store.StoreOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Certificate alerts over the store: raises an alert when a rule starts firing for a certificate,
 * resolves it when the rule stops, lets people acknowledge it, and queues a webhook notification
 * for every raise and resolve in the same transaction (delivered by {@link WebhookDelivery}).
 *
 * <p>Durable by construction: the open alerts live in {@code certificate_alerts}, and an evaluation
 * compares what fires now with what is open there, so a restarted process raises nothing that is
 * already open — no duplicate alert, no duplicate notification.
 *
 * <p>Thread-safe. Several processes may evaluate over one store: an evaluation holds a
 * transaction-scoped advisory lock and is skipped while another holds it. Every method blocks on
 * the store.
 */
public final class CertificateAlerts {
  // An arbitrary constant naming "the certificate alert evaluation" among advisory locks.
  private static final long EVALUATION_LOCK = 0x6167_6365_7274_616cL;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String OPEN =
      "SELECT id, alert_key FROM certificate_alerts WHERE state <> 'resolved' FOR UPDATE";
  private static final String INSERT =
      "INSERT INTO certificate_alerts (alert_key, rule, severity, sha256, subject, summary,"
          + " details, state, raised_at) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, 'raised', ?)"
          + " ON CONFLICT (alert_key) WHERE state <> 'resolved' DO NOTHING RETURNING id";
  private static final String RESOLVE =
      "UPDATE certificate_alerts SET state = 'resolved', resolved_at = ? WHERE id = ?";
  private static final String ACKNOWLEDGE =
      "UPDATE certificate_alerts SET state = 'acknowledged', acknowledged_at = ?,"
          + " acknowledged_by = ?, acknowledge_note = ? WHERE id = ? AND state = 'raised'";
  private static final String COLUMNS =
      "id, rule, sha256, subject, summary, details::text, state, raised_at, acknowledged_at,"
          + " acknowledged_by, resolved_at";
  private static final String BY_ID = "SELECT " + COLUMNS + " FROM certificate_alerts WHERE id = ?";
  private static final String ENQUEUE =
      "INSERT INTO certificate_alert_deliveries (alert_id, kind, payload, created_at,"
          + " next_attempt_at) VALUES (?, ?, ?::jsonb, ?, ?)";

  private final StoreOptions store;
  private final AlertConditions conditions;
  private final Clock clock;
  private final boolean notify;

  /**
   * @param notify whether raises and resolves queue webhook notifications (false when no webhook is
   *     configured, so the outbox does not grow with nothing to drain it)
   */
  public CertificateAlerts(
      StoreOptions store, AlertConditions conditions, Clock clock, boolean notify) {
    this.store = Objects.requireNonNull(store, "store");
    this.conditions = Objects.requireNonNull(conditions, "conditions");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.notify = notify;
  }

  /**
   * What one evaluation did.
   *
   * @param evaluated false when another process held the evaluation lock and this one did nothing
   * @param raised alerts raised now
   * @param resolved alerts resolved now
   * @param open alerts open after the evaluation
   */
  public record Evaluation(
      boolean evaluated, List<CertificateAlert> raised, List<CertificateAlert> resolved, int open) {
    public Evaluation {
      raised = List.copyOf(raised);
      resolved = List.copyOf(resolved);
    }
  }

  /**
   * Compares the rules firing now with the open alerts, in one transaction: raises the new ones,
   * resolves the ones whose condition has gone, with an event and (when notifying) a queued
   * notification for each.
   *
   * @throws UnableToUseControlPlaneException when the store cannot be read or written
   */
  public Evaluation evaluate() {
    Instant now = clock.instant();
    Map<String, AlertCondition> firing = new LinkedHashMap<>();
    for (AlertCondition condition : conditions.firing(now)) {
      firing.putIfAbsent(condition.key(), condition);
    }
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try {
        if (!tryLock(c)) {
          c.rollback();
          return new Evaluation(false, List.of(), List.of(), 0);
        }
        Map<String, Long> open = open(c);
        List<CertificateAlert> raised = new ArrayList<>();
        for (AlertCondition condition : firing.values()) {
          if (!open.containsKey(condition.key())) {
            raise(c, condition, now).ifPresent(raised::add);
          }
        }
        List<CertificateAlert> resolved = new ArrayList<>();
        for (Map.Entry<String, Long> alert : open.entrySet()) {
          if (!firing.containsKey(alert.getKey())) {
            resolved.add(resolve(c, alert.getValue(), now));
          }
        }
        c.commit();
        int stillOpen = open.size() + raised.size() - resolved.size();
        return new Evaluation(true, raised, resolved, stillOpen);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new UnableToUseControlPlaneException("cannot evaluate certificate alerts", e);
    }
  }

  /**
   * Records that {@code by} has seen alert {@code id}. Only a raised alert can be acknowledged; the
   * outcome says what happened otherwise.
   *
   * @throws UnableToUseControlPlaneException when the store cannot be read or written
   */
  public AcknowledgeOutcome acknowledge(long id, String by, String note) {
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(note, "note");
    Instant now = clock.instant();
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try {
        int changed;
        try (PreparedStatement s = c.prepareStatement(ACKNOWLEDGE)) {
          s.setTimestamp(1, Timestamp.from(now));
          s.setString(2, by);
          s.setString(3, note);
          s.setLong(4, id);
          changed = s.executeUpdate();
        }
        Optional<CertificateAlert> alert = byId(c, id);
        if (alert.isEmpty()) {
          c.rollback();
          return new AcknowledgeOutcome.NotFound(id);
        }
        CertificateAlert a = alert.get();
        if (changed == 1) {
          Map<String, String> details = new TreeMap<>();
          details.put("alert_id", Long.toString(id));
          details.put("rule", a.rule().wireName());
          details.put("by", by);
          if (!note.isEmpty()) {
            details.put("note", note);
          }
          CertificateEventLog.append(
              c,
              a.sha256(),
              now,
              "alert_acknowledged",
              a.rule().wireName() + " acknowledged by " + by,
              details);
          c.commit();
          return new AcknowledgeOutcome.Acknowledged(a);
        }
        c.rollback();
        return a.state() == AlertState.RESOLVED
            ? new AcknowledgeOutcome.AlreadyResolved(a)
            : new AcknowledgeOutcome.AlreadyAcknowledged(a);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new UnableToUseControlPlaneException("cannot acknowledge alert " + id, e);
    }
  }

  /** Filters for {@link #list}; empty means any. */
  public record Query(
      Optional<AlertState> state, Optional<AlertRule> rule, Optional<String> sha256, int limit) {
    public Query {
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(sha256, "sha256");
      if (limit < 1 || limit > 1000) {
        throw new IllegalArgumentException("limit must be 1..1000: " + limit);
      }
    }

    /** The open alerts (raised or acknowledged) are asked for with {@link #open(int)}. */
    public static Query open(int limit) {
      return new Query(Optional.empty(), Optional.empty(), Optional.empty(), limit);
    }
  }

  /**
   * Alerts newest first. Without a state filter, only open alerts (raised or acknowledged).
   *
   * @throws UnableToUseControlPlaneException when the store cannot be read
   */
  public List<CertificateAlert> list(Query query) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM certificate_alerts WHERE ");
    List<Object> args = new ArrayList<>();
    if (query.state().isPresent()) {
      sql.append("state = ?");
      args.add(query.state().get().wireName());
    } else {
      sql.append("state <> 'resolved'");
    }
    query
        .rule()
        .ifPresent(
            r -> {
              sql.append(" AND rule = ?");
              args.add(r.wireName());
            });
    query
        .sha256()
        .ifPresent(
            h -> {
              sql.append(" AND sha256 = ?");
              args.add(h);
            });
    sql.append(" ORDER BY id DESC LIMIT ?");
    args.add(query.limit());
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        s.setObject(i + 1, args.get(i));
      }
      List<CertificateAlert> alerts = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          alerts.add(alert(rs));
        }
      }
      return alerts;
    } catch (SQLException e) {
      throw new UnableToUseControlPlaneException("cannot list certificate alerts", e);
    }
  }

  /**
   * Counts for gauges.
   *
   * @throws UnableToUseControlPlaneException when the store cannot be read
   */
  public AlertCounts counts() {
    Map<AlertRule, Long> byRule = new EnumMap<>(AlertRule.class);
    for (AlertRule rule : AlertRule.values()) {
      byRule.put(rule, 0L);
    }
    long acknowledged = 0;
    long undelivered;
    long failed;
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT rule, state, count(*) FROM certificate_alerts WHERE state <> 'resolved'"
                  + " GROUP BY rule, state")) {
        while (rs.next()) {
          Optional<AlertRule> rule = AlertRule.fromWireName(rs.getString(1));
          if (rule.isPresent()) {
            byRule.merge(rule.get(), rs.getLong(3), Long::sum);
          }
          if ("acknowledged".equals(rs.getString(2))) {
            acknowledged += rs.getLong(3);
          }
        }
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT count(*) FILTER (WHERE delivered_at IS NULL AND failed_at IS NULL),"
                  + " count(*) FILTER (WHERE failed_at IS NOT NULL)"
                  + " FROM certificate_alert_deliveries")) {
        rs.next();
        undelivered = rs.getLong(1);
        failed = rs.getLong(2);
      }
    } catch (SQLException e) {
      throw new UnableToUseControlPlaneException("cannot count certificate alerts", e);
    }
    Map<String, Long> open = new LinkedHashMap<>();
    byRule.forEach((rule, n) -> open.put(rule.wireName(), n));
    return new AlertCounts(open, acknowledged, undelivered, failed);
  }

  private Optional<CertificateAlert> raise(Connection c, AlertCondition condition, Instant now)
      throws SQLException {
    String summary = condition.subject() + ": " + condition.rule().description();
    long id;
    try (PreparedStatement s = c.prepareStatement(INSERT)) {
      s.setString(1, condition.key());
      s.setString(2, condition.rule().wireName());
      s.setString(3, condition.rule().severity().wireName());
      s.setString(4, condition.sha256());
      s.setString(5, condition.subject());
      s.setString(6, summary);
      s.setString(7, CertificateEventLog.json(condition.details()));
      s.setTimestamp(8, Timestamp.from(now));
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty(); // opened meanwhile by a writer that did not take the lock
        }
        id = rs.getLong(1);
      }
    }
    CertificateAlert alert = byId(c, id).orElseThrow();
    Map<String, String> details = new TreeMap<>(condition.details());
    details.put("alert_id", Long.toString(id));
    details.put("rule", condition.rule().wireName());
    details.put("severity", condition.rule().severity().wireName());
    CertificateEventLog.append(c, condition.sha256(), now, "alert_raised", summary, details);
    enqueue(c, alert, "raised", now);
    return Optional.of(alert);
  }

  private CertificateAlert resolve(Connection c, long id, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(RESOLVE)) {
      s.setTimestamp(1, Timestamp.from(now));
      s.setLong(2, id);
      s.executeUpdate();
    }
    CertificateAlert alert = byId(c, id).orElseThrow();
    CertificateEventLog.append(
        c,
        alert.sha256(),
        now,
        "alert_resolved",
        alert.subject() + ": no longer " + alert.rule().description(),
        Map.of("alert_id", Long.toString(id), "rule", alert.rule().wireName()));
    enqueue(c, alert, "resolved", now);
    return alert;
  }

  private void enqueue(Connection c, CertificateAlert alert, String kind, Instant now)
      throws SQLException {
    if (!notify) {
      return;
    }
    try (PreparedStatement s = c.prepareStatement(ENQUEUE)) {
      s.setLong(1, alert.id());
      s.setString(2, kind);
      s.setString(3, payload(alert, kind));
      s.setTimestamp(4, Timestamp.from(now));
      s.setTimestamp(5, Timestamp.from(now));
      s.executeUpdate();
    }
  }

  /** The webhook body: the event and the alert as the API shows it (docs/certificates.md). */
  static String payload(CertificateAlert alert, String kind) {
    ObjectNode body = JSON.createObjectNode();
    body.put("event", "certificate_alert." + kind);
    ObjectNode a = body.putObject("alert");
    a.put("id", alert.id());
    a.put("key", alert.key());
    a.put("rule", alert.rule().wireName());
    a.put("severity", alert.severity().wireName());
    a.put("sha256", alert.sha256());
    a.put("subject", alert.subject());
    a.put("summary", alert.summary());
    a.put("state", alert.state().wireName());
    a.put("raised_at", alert.raisedAt().toString());
    alert.resolvedAt().ifPresent(t -> a.put("resolved_at", t.toString()));
    ObjectNode details = a.putObject("details");
    new TreeMap<>(alert.details()).forEach(details::put);
    return body.toString();
  }

  private static Map<String, Long> open(Connection c) throws SQLException {
    Map<String, Long> open = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(OPEN)) {
      while (rs.next()) {
        open.put(rs.getString(2), rs.getLong(1));
      }
    }
    return open;
  }

  private static Optional<CertificateAlert> byId(Connection c, long id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(BY_ID)) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(alert(rs)) : Optional.empty();
      }
    }
  }

  private static CertificateAlert alert(ResultSet rs) throws SQLException {
    String rule = rs.getString(2);
    return new CertificateAlert(
        rs.getLong(1),
        AlertRule.fromWireName(rule)
            .orElseThrow(() -> new IllegalStateException("unknown alert rule stored: " + rule)),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        CertificateEventLog.details(rs.getString(6)),
        AlertState.fromWireName(rs.getString(7)),
        rs.getTimestamp(8).toInstant(),
        instant(rs.getTimestamp(9)),
        Optional.ofNullable(rs.getString(10)),
        instant(rs.getTimestamp(11)));
  }

  private static Optional<Instant> instant(Timestamp t) {
    return t == null ? Optional.empty() : Optional.of(t.toInstant());
  }

  private static boolean tryLock(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
      s.setLong(1, EVALUATION_LOCK);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(store.jdbcUrl(), store.driverProperties());
  }
}

package io.auditgate.controlplane.replacement;

import io.auditgate.controlplane.CertificateEventLog;
import io.auditgate.controlplane.inventory.BindOutcome;
import io.auditgate.controlplane.inventory.BindingKind;
import io.auditgate.controlplane.inventory.CertificateInventory;
import io.auditgate.controlplane.inventory.RenewalOutcome;
import io.auditgate.controlplane.inventory.RenewalState;
import io.auditgate.controlplane.inventory.RevocationView;
import io.auditgate.store.StoreOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The replacement of device certificates, step by step: (1) the device is asked to re-enrol; (2) it
 * confirms by connecting with a newer certificate naming it (a listener sighting); (3) the old
 * certificate is revoked as superseded; (4) the device binding moves to the new certificate (which
 * unbinds the old one — a device has one bound certificate). The workflow's state is the
 * inventory's renewal state of the OLD certificate: {@code in_progress} while waiting, {@code
 * completed} with the replacement's fingerprint, {@code blocked} with a reason; every step is also
 * an event in the certificate event log of both certificates.
 *
 * <p>Nothing is kept in memory: {@link #advance} reads the in-progress replacements from the store
 * and each of steps 2–4 is idempotent (a revoked certificate stays revoked, binding again is a
 * no-op), so a crash between steps only repeats them.
 *
 * <p>Thread-safety: thread-safe, but {@link #advance} is meant to run on one thread (the
 * scheduler); concurrent runs are safe (the same steps twice) but wasteful. Every method blocks on
 * the store and, for {@link #start}, on the re-enrolment request.
 */
public final class ReplacementWorkflow {
  static final String ACTOR = "replacement";

  private static final String CERTIFICATE =
      "SELECT c.device_id, c.is_ca, c.replaced_by, c.not_before, c.not_after,"
          + " coalesce(r.state, 'not_started')"
          + " FROM certificates c LEFT JOIN certificate_renewals r ON r.sha256 = c.sha256"
          + " WHERE c.sha256 = ?";
  private static final String IN_PROGRESS =
      "SELECT r.sha256, r.updated_at, c.device_id, c.not_before FROM certificate_renewals r"
          + " JOIN certificates c ON c.sha256 = r.sha256"
          + " WHERE r.state = 'in_progress' AND c.device_id IS NOT NULL ORDER BY r.updated_at";
  // A newer certificate naming the device that the device itself presented at a listener: the
  // listener authenticated it, so the device holds its key. Newer = a later not_before, or first
  // known since the replacement started: the CA backdates not_before by its clock skew allowance
  // (5 min), so a short-lived certificate renewed soon after issuance has an EARLIER not_before.
  private static final String CONFIRMATION =
      "SELECT c.sha256 FROM certificate_sightings s JOIN certificates c ON c.sha256 = s.sha256"
          + " WHERE s.device_id = ? AND s.source IN ('listener_mqtt', 'listener_https')"
          + " AND c.device_id = ? AND c.sha256 <> ? AND c.not_after > ?"
          + " AND (c.not_before > ? OR c.first_seen_at >= ?)"
          + " ORDER BY c.first_seen_at DESC, c.not_before DESC LIMIT 1";
  private static final String LAST_REQUEST =
      "SELECT details->>'request' FROM certificate_events WHERE sha256 = ?"
          + " AND kind IN ('replacement_started', 'replacement_requested') ORDER BY id DESC LIMIT 1";
  private static final String DUE =
      "SELECT c.sha256, c.device_id, c.not_before, c.not_after FROM certificates c"
          + " LEFT JOIN certificate_renewals r ON r.sha256 = c.sha256"
          + " WHERE c.device_id IS NOT NULL AND NOT c.is_ca AND NOT c.replaced"
          + " AND c.not_after > ? AND c.not_before + (c.not_after - c.not_before) * ? <= ?"
          + " AND (r.state IS NULL OR r.state IN ('not_started', 'planned'))"
          + " ORDER BY c.not_after LIMIT ?";

  private final StoreOptions store;
  private final CertificateInventory inventory;
  private final RevocationView revocations;
  private final Reenrolment reenrolment;
  private final Revoker revoker;
  private final RenewalPolicy policy;
  private final Clock clock;

  /**
   * @param revocations what is revoked (a revoked certificate is not replaced again)
   * @param reenrolment asks devices to re-enrol
   * @param revoker revokes superseded certificates
   */
  public ReplacementWorkflow(
      StoreOptions store,
      CertificateInventory inventory,
      RevocationView revocations,
      Reenrolment reenrolment,
      Revoker revoker,
      RenewalPolicy policy,
      Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.inventory = Objects.requireNonNull(inventory, "inventory");
    this.revocations = Objects.requireNonNull(revocations, "revocations");
    this.reenrolment = Objects.requireNonNull(reenrolment, "reenrolment");
    this.revoker = Objects.requireNonNull(revoker, "revoker");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The policy in force. */
  public RenewalPolicy policy() {
    return policy;
  }

  /**
   * Starts replacing a device certificate: moves its renewal workflow to {@code in_progress} and
   * asks the device to re-enrol. Already in progress: asks the device again (it may have been
   * offline). A blocked replacement starts over.
   *
   * @param actor who asks ({@code token:<name>}, {@code cli}, {@code auto-renewal})
   * @param reason why, sent to the device and recorded
   */
  public StartOutcome start(String sha256, String actor, String reason) {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(reason, "reason");
    Optional<Row> found = certificate(sha256);
    if (found.isEmpty()) {
      return new StartOutcome.UnknownCertificate(sha256);
    }
    Row row = found.get();
    Instant now = clock.instant();
    Optional<String> refusal = refusal(sha256, row, now);
    if (refusal.isPresent()) {
      return new StartOutcome.NotReplaceable(sha256, refusal.get());
    }
    String device = row.deviceId().orElseThrow();
    if (row.state() == RenewalState.IN_PROGRESS) {
      Reenrolment.Outcome request = reenrolment.request(device, reason);
      event(
          sha256, "replacement_requested", "re-enrolment requested again", device, request, actor);
      return new StartOutcome.AlreadyInProgress(sha256, device, request);
    }
    RenewalOutcome moved =
        inventory.renewal(
            sha256,
            RenewalState.IN_PROGRESS,
            Optional.of("replacement: " + reason),
            Optional.empty(),
            actor);
    if (moved instanceof RenewalOutcome.Refused refused) {
      return new StartOutcome.NotReplaceable(sha256, refused.from().label());
    }
    if (moved instanceof RenewalOutcome.UnknownCertificate) {
      return new StartOutcome.UnknownCertificate(sha256);
    }
    Reenrolment.Outcome request = reenrolment.request(device, reason);
    event(sha256, "replacement_started", "replacement started: " + reason, device, request, actor);
    return new StartOutcome.Started(sha256, device, request);
  }

  /**
   * Moves every in-progress replacement as far as its conditions allow: confirmed by a sighting of
   * a newer certificate → old revoked → binding moved → completed; no confirmation within {@link
   * RenewalPolicy#confirmWithin} → blocked ({@code not_confirmed}); a step that fails → blocked
   * with the step's reason.
   */
  public AdvanceReport advance() {
    Instant now = clock.instant();
    List<AdvanceReport.Completed> completed = new ArrayList<>();
    List<AdvanceReport.Blocked> blocked = new ArrayList<>();
    int waiting = 0;
    for (InProgress p : inProgress()) {
      Optional<String> confirmed = confirmation(p, now);
      if (confirmed.isEmpty()) {
        if (!now.isBefore(p.since().plus(policy.confirmWithin()))) {
          String reason =
              "not_confirmed: the device did not connect with a new certificate within "
                  + policy.confirmWithin();
          block(p.sha256(), reason);
          blocked.add(new AdvanceReport.Blocked(p.sha256(), reason));
        } else {
          askAgainIfUndelivered(p);
          waiting++;
        }
        continue;
      }
      String fresh = confirmed.get();
      Optional<String> failure = finish(p, fresh);
      if (failure.isPresent()) {
        block(p.sha256(), failure.get());
        blocked.add(new AdvanceReport.Blocked(p.sha256(), failure.get()));
      } else {
        completed.add(new AdvanceReport.Completed(p.sha256(), fresh, p.deviceId()));
      }
    }
    return new AdvanceReport(completed, blocked, waiting);
  }

  /**
   * Automatic renewal: device certificates past their renew point ({@link RenewalPolicy#renewAt})
   * that are in service, current for their device and not yet being renewed are planned and
   * started, at most {@code limit} per call. Returns the fingerprints started. Blocked ones are
   * left to an operator, so that an offline device is not asked again at every check.
   */
  public List<String> renewDue(int limit) {
    Instant now = clock.instant();
    List<String> started = new ArrayList<>();
    for (Due due : due(now, limit)) {
      if (now.isBefore(policy.renewAt(due.sha256(), due.notBefore(), due.notAfter()))
          || revocations.revocation(due.sha256()).isPresent()) {
        continue;
      }
      Instant at = policy.renewAt(due.sha256(), due.notBefore(), due.notAfter());
      inventory.renewal(
          due.sha256(),
          RenewalState.PLANNED,
          Optional.of("renewal due at " + at),
          Optional.empty(),
          "auto-renewal");
      if (start(due.sha256(), "auto-renewal", "renewal_due") instanceof StartOutcome.Started) {
        started.add(due.sha256());
      }
    }
    return started;
  }

  /**
   * A device that was offline (or a replacement started where there is no MQTT channel, such as the
   * CLI) is asked again at each check until it acknowledges or the deadline passes.
   */
  private void askAgainIfUndelivered(InProgress p) {
    if (lastRequestDelivered(p.sha256())) {
      return;
    }
    Reenrolment.Outcome request = reenrolment.request(p.deviceId(), "replace");
    event(
        p.sha256(),
        "replacement_requested",
        "re-enrolment requested again",
        p.deviceId(),
        request,
        ACTOR);
  }

  private boolean lastRequestDelivered(String sha256) {
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement(LAST_REQUEST)) {
      s.setString(1, sha256);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() && "delivered".equals(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new UnableToReplaceException("cannot read the events of " + sha256, e);
    }
  }

  private Optional<String> refusal(String sha256, Row row, Instant now) {
    if (row.ca() || row.deviceId().isEmpty()) {
      return Optional.of("not_a_device_certificate");
    }
    if (row.state() == RenewalState.COMPLETED) {
      return Optional.of("completed");
    }
    if (!row.notAfter().isAfter(now)) {
      return Optional.of("expired");
    }
    if (revocations.revocation(sha256).isPresent()) {
      return Optional.of("revoked");
    }
    if (row.replacedBy().isPresent() && row.state() != RenewalState.IN_PROGRESS) {
      return Optional.of("already_replaced");
    }
    return Optional.empty();
  }

  /** Steps 3 and 4 and the completion; a reason when a step failed. */
  private Optional<String> finish(InProgress p, String fresh) {
    event2(
        p.sha256(), fresh, "replacement_confirmed", "device connected with the new certificate", p);
    Revoker.Result revoked = revoker.revokeSuperseded(p.sha256(), ACTOR);
    if (revoked instanceof Revoker.Result.Failed f) {
      return Optional.of("revocation_failed: " + f.reason());
    }
    if (!((Revoker.Result.Revoked) revoked).already()) {
      event2(p.sha256(), fresh, "replacement_revoked", "old certificate revoked (superseded)", p);
    }
    BindOutcome bound = inventory.bind(fresh, BindingKind.DEVICE, p.deviceId());
    if (bound instanceof BindOutcome.BoundElsewhere other) {
      return Optional.of("new_certificate_bound_elsewhere: " + other.otherDeviceId());
    }
    if (bound instanceof BindOutcome.UnknownCertificate) {
      return Optional.of("new_certificate_unknown");
    }
    // Binding the new certificate replaced the device's bound one; this covers an old binding
    // left behind by a device that was re-registered in between.
    inventory.unbind(p.sha256(), BindingKind.DEVICE, p.deviceId());
    String binding =
        bound instanceof BindOutcome.UnknownDevice
            ? "device not registered in the fleet: no binding to move"
            : "device binding moved to the new certificate";
    event2(p.sha256(), fresh, "replacement_rebound", binding, p);
    RenewalOutcome done =
        inventory.renewal(
            p.sha256(),
            RenewalState.COMPLETED,
            Optional.of("replaced by " + fresh),
            Optional.of(fresh),
            ACTOR);
    if (!(done instanceof RenewalOutcome.Changed)) {
      return Optional.of("completion_refused: " + done);
    }
    event2(p.sha256(), fresh, "replacement_completed", "replacement completed", p);
    return Optional.empty();
  }

  private void block(String sha256, String reason) {
    inventory.renewal(sha256, RenewalState.BLOCKED, Optional.of(reason), Optional.empty(), ACTOR);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("reason", reason);
    append(sha256, "replacement_blocked", "replacement blocked: " + reason, details);
  }

  private void event(
      String sha256,
      String kind,
      String summary,
      String device,
      Reenrolment.Outcome request,
      String actor) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("device_id", device);
    details.put("request", request.label());
    details.put("actor", actor);
    append(sha256, kind, summary, details);
  }

  /** The same step on the old and the new certificate's timelines. */
  private void event2(String old, String fresh, String kind, String summary, InProgress p) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("device_id", p.deviceId());
    details.put("old_sha256", old);
    details.put("new_sha256", fresh);
    append(old, kind, summary, details);
    append(fresh, kind, summary, details);
  }

  private void append(String sha256, String kind, String summary, Map<String, String> details) {
    try (Connection c = connect()) {
      CertificateEventLog.append(c, sha256, clock.instant(), kind, summary, details);
    } catch (SQLException e) {
      throw new UnableToReplaceException("cannot write the certificate event log", e);
    }
  }

  private Optional<Row> certificate(String sha256) {
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement(CERTIFICATE)) {
      s.setString(1, sha256);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Row(
                Optional.ofNullable(rs.getString(1)),
                rs.getBoolean(2),
                Optional.ofNullable(rs.getString(3)),
                rs.getTimestamp(4).toInstant(),
                rs.getTimestamp(5).toInstant(),
                RenewalState.ofLabel(rs.getString(6)).orElseThrow()));
      }
    } catch (SQLException e) {
      throw new UnableToReplaceException("cannot read certificate " + sha256, e);
    }
  }

  private List<InProgress> inProgress() {
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement(IN_PROGRESS);
        ResultSet rs = s.executeQuery()) {
      List<InProgress> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(
            new InProgress(
                rs.getString(1),
                rs.getTimestamp(2).toInstant(),
                rs.getString(3),
                rs.getTimestamp(4).toInstant()));
      }
      return rows;
    } catch (SQLException e) {
      throw new UnableToReplaceException("cannot read the replacements in progress", e);
    }
  }

  private Optional<String> confirmation(InProgress p, Instant now) {
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement(CONFIRMATION)) {
      s.setString(1, p.deviceId());
      s.setString(2, p.deviceId());
      s.setString(3, p.sha256());
      s.setTimestamp(4, Timestamp.from(now));
      s.setTimestamp(5, Timestamp.from(p.notBefore()));
      s.setTimestamp(6, Timestamp.from(p.since()));
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new UnableToReplaceException("cannot read the sightings of " + p.deviceId(), e);
    }
  }

  private List<Due> due(Instant now, int limit) {
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement(DUE)) {
      s.setTimestamp(1, Timestamp.from(now));
      s.setDouble(2, policy.earliestFraction());
      s.setTimestamp(3, Timestamp.from(now));
      s.setInt(4, limit);
      List<Due> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new Due(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getTimestamp(3).toInstant(),
                  rs.getTimestamp(4).toInstant()));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new UnableToReplaceException("cannot read the certificates due for renewal", e);
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(store.jdbcUrl(), store.driverProperties());
  }

  private record Row(
      Optional<String> deviceId,
      boolean ca,
      Optional<String> replacedBy,
      Instant notBefore,
      Instant notAfter,
      RenewalState state) {}

  private record InProgress(String sha256, Instant since, String deviceId, Instant notBefore) {}

  private record Due(String sha256, String deviceId, Instant notBefore, Instant notAfter) {}
}

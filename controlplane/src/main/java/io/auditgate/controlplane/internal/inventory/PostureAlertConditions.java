package io.auditgate.controlplane.internal.inventory;

import io.auditgate.controlplane.alerts.AlertCondition;
import io.auditgate.controlplane.alerts.AlertConditions;
import io.auditgate.controlplane.alerts.AlertRule;
import io.auditgate.controlplane.inventory.InventoryPolicy;
import io.auditgate.controlplane.inventory.Revocation;
import io.auditgate.controlplane.inventory.RevocationView;
import io.auditgate.controlplane.inventory.UnableToUseInventoryException;
import io.auditgate.store.StoreOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The alert rules per certificate, read from the same cached columns and with the same predicates
 * as the posture summary ({@link PostureQuery}): the posture counts certificates per rule, this
 * names them. No X.509 fact is recomputed here.
 *
 * <ul>
 *   <li>revoked certificates fire only {@code revoked_still_seen} (a listener sighting after the
 *       revocation);
 *   <li>expired certificates fire {@code expired} unless a newer certificate names the same device
 *       (replaced: the expiry is the expected end of the old one);
 *   <li>certificates in service fire the tightest of the 30/60/90-day windows and {@code
 *       low_remaining_lifetime} (past two thirds of the lifetime) unless replaced, and {@code
 *       untrusted_chain}, {@code shared}, {@code weak_key}, {@code weak_signature}, {@code
 *       too_old}, {@code unbound} (leaf certificates only) as the posture counts them.
 * </ul>
 *
 * <p>Thread-safe; each call opens one connection and blocks on one statement (a scan of the rows
 * any rule can select, which in a healthy fleet are few).
 */
public final class PostureAlertConditions implements AlertConditions {
  private static final String SQL =
      """
      SELECT sha256, subject, not_before, not_after, renew_at, trusted, trust_reason, replaced,
        is_ca, bound, seen_device_count, weaknesses, key_type, key_bits, signature_algorithm,
        last_connected_at
      FROM certificates
      WHERE not_after <= :soon_end OR NOT trusted OR (NOT bound AND NOT is_ca)
        OR seen_device_count > 1 OR weaknesses <> '{}' OR not_before < :too_old_before
        OR sha256 = ANY(:rev_sha256::text[])
      ORDER BY sha256""";

  private final StoreOptions store;
  private final RevocationView revocations;
  private final InventoryPolicy policy;

  public PostureAlertConditions(
      StoreOptions store, RevocationView revocations, InventoryPolicy policy) {
    this.store = Objects.requireNonNull(store, "store");
    this.revocations = Objects.requireNonNull(revocations, "revocations");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  @Override
  public List<AlertCondition> firing(Instant now) {
    Map<String, Revocation> revoked = new HashMap<>();
    for (Revocation r : revocations.revoked()) {
      revoked.put(r.sha256(), r);
    }
    Map<String, Object> p = new HashMap<>();
    p.put("soon_end", now.plus(Duration.ofDays(Math.max(90, policy.soonDays()))));
    p.put("too_old_before", now.minus(policy.maxAge()));
    List<AlertCondition> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.driverProperties())) {
      p.put("rev_sha256", Sql.textArray(c, List.copyOf(revoked.keySet())));
      try (PreparedStatement ps = Sql.prepare(c, SQL, p);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          conditions(rs, now, Optional.ofNullable(revoked.get(rs.getString("sha256"))), out);
        }
      }
    } catch (SQLException e) {
      throw new UnableToUseInventoryException("cannot evaluate certificate alert conditions", e);
    }
    return out;
  }

  private void conditions(
      ResultSet rs, Instant now, Optional<Revocation> revocation, List<AlertCondition> out)
      throws SQLException {
    String sha256 = rs.getString("sha256");
    String subject = rs.getString("subject");
    Instant notAfter = Sql.instant(rs, "not_after");
    if (revocation.isPresent()) {
      Optional<Instant> connected = Sql.optionalInstant(rs, "last_connected_at");
      if (connected.isPresent() && connected.get().isAfter(revocation.get().revokedAt())) {
        out.add(
            condition(
                AlertRule.REVOKED_STILL_SEEN,
                sha256,
                subject,
                "revoked_at",
                revocation.get().revokedAt().toString(),
                "last_connected_at",
                connected.get().toString(),
                "reason",
                revocation.get().reason()));
      }
      return;
    }
    boolean replaced = rs.getBoolean("replaced");
    if (!notAfter.isAfter(now)) {
      if (!replaced) {
        out.add(condition(AlertRule.EXPIRED, sha256, subject, "not_after", notAfter.toString()));
      }
      return;
    }
    long daysLeft = Duration.between(now, notAfter).toDays();
    if (!replaced) {
      Optional<AlertRule> window = window(now, notAfter);
      window.ifPresent(
          rule ->
              out.add(
                  condition(
                      rule,
                      sha256,
                      subject,
                      "not_after",
                      notAfter.toString(),
                      "days_left",
                      Long.toString(daysLeft))));
      Instant renewAt = Sql.instant(rs, "renew_at");
      if (renewAt.isBefore(now)) {
        out.add(
            condition(
                AlertRule.LOW_REMAINING_LIFETIME,
                sha256,
                subject,
                "renew_at",
                renewAt.toString(),
                "not_after",
                notAfter.toString()));
      }
    }
    if (!rs.getBoolean("trusted")) {
      out.add(
          condition(
              AlertRule.UNTRUSTED_CHAIN,
              sha256,
              subject,
              "trust_reason",
              Objects.toString(rs.getString("trust_reason"), "")));
    }
    int devices = rs.getInt("seen_device_count");
    if (devices > 1) {
      out.add(condition(AlertRule.SHARED, sha256, subject, "devices", Integer.toString(devices)));
    }
    List<String> weaknesses = Sql.strings(rs, "weaknesses");
    if (weaknesses.contains("rsa_key_under_2048")) {
      out.add(
          condition(
              AlertRule.WEAK_KEY,
              sha256,
              subject,
              "key_type",
              rs.getString("key_type"),
              "key_bits",
              Integer.toString(rs.getInt("key_bits"))));
    }
    if (weaknesses.contains("sha1_signature") || weaknesses.contains("md5_signature")) {
      out.add(
          condition(
              AlertRule.WEAK_SIGNATURE,
              sha256,
              subject,
              "signature_algorithm",
              rs.getString("signature_algorithm")));
    }
    Instant notBefore = Sql.instant(rs, "not_before");
    if (notBefore.isBefore(now.minus(policy.maxAge()))) {
      out.add(
          condition(
              AlertRule.TOO_OLD,
              sha256,
              subject,
              "not_before",
              notBefore.toString(),
              "max_age_days",
              Long.toString(policy.maxAge().toDays())));
    }
    if (!rs.getBoolean("bound") && !rs.getBoolean("is_ca")) {
      out.add(condition(AlertRule.UNBOUND, sha256, subject));
    }
  }

  /** The tightest of the 30/60/90-day windows the certificate is in, if any. */
  static Optional<AlertRule> window(Instant now, Instant notAfter) {
    if (!notAfter.isAfter(now.plus(Duration.ofDays(30)))) {
      return Optional.of(AlertRule.EXPIRING_30_DAYS);
    }
    if (!notAfter.isAfter(now.plus(Duration.ofDays(60)))) {
      return Optional.of(AlertRule.EXPIRING_60_DAYS);
    }
    if (!notAfter.isAfter(now.plus(Duration.ofDays(90)))) {
      return Optional.of(AlertRule.EXPIRING_90_DAYS);
    }
    return Optional.empty();
  }

  private static AlertCondition condition(
      AlertRule rule, String sha256, String subject, String... details) {
    Map<String, String> d = new LinkedHashMap<>();
    for (int i = 0; i + 1 < details.length; i += 2) {
      d.put(details[i], details[i + 1]);
    }
    return new AlertCondition(rule, sha256, subject, d);
  }
}

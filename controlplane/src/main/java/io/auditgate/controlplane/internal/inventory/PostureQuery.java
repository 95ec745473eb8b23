package io.auditgate.controlplane.internal.inventory;

import io.auditgate.controlplane.inventory.CertificateStatus;
import io.auditgate.controlplane.inventory.InventoryPolicy;
import io.auditgate.controlplane.inventory.PostureSummary;
import io.auditgate.controlplane.inventory.Revocation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The posture summary as one statement of index counts. Evaluating every rule on every row is a
 * scan of the whole table (about 300 ms at 100,000 certificates on the reference machine, against a
 * 50 ms target), so each count reads only the rows its rule selects: the expired through the
 * not-after index, the windows and "expiring soon" through one range of the covering not-after
 * index, each rule through its partial index (V51), all restricted to certificates in service
 * (not-after in the future). The revoked certificates (few: the view's list, joined by key) are
 * then counted with the same rules and subtracted, since a revoked certificate is no longer in
 * service and its status is revoked whatever else holds.
 *
 * <p>Status counts follow {@link InventorySql#STATUS}'s precedence (revoked, expired, untrusted,
 * replaced, expiring soon, active): untrusted counts in-service untrusted; replaced in-service,
 * trusted, replaced; expiring soon in-service, trusted, not replaced, in the window with under a
 * third of its lifetime left (past {@code renew_at}); active is the rest. Window ends and the
 * maximum-age cut-off are computed here, not in SQL, so that they are constants for the planner.
 */
final class PostureQuery {
  private PostureQuery() {}

  private static final String IN_SERVICE = "not_after > :now";
  private static final String SOON =
      "trusted AND NOT replaced AND not_after <= :soon_end AND renew_at < :now";
  private static final String WEAK_KEY = "'rsa_key_under_2048' = ANY(weaknesses)";
  private static final String WEAK_SIGNATURE =
      "('sha1_signature' = ANY(weaknesses) OR 'md5_signature' = ANY(weaknesses))";
  private static final String TOO_OLD = "not_before < :too_old_before";

  static PostureSummary run(
      Connection c, Instant now, InventoryPolicy policy, List<Revocation> revoked)
      throws SQLException {
    List<Integer> windows = policy.expiryWindowDays();
    StringBuilder windowCounts = new StringBuilder();
    StringBuilder revokedWindowCounts = new StringBuilder();
    Map<String, Object> p = new HashMap<>();
    for (int i = 0; i < windows.size(); i++) {
      String bound = "not_after <= :w" + i + "_end";
      windowCounts.append(", count(*) FILTER (WHERE ").append(bound).append(") AS w").append(i);
      revokedWindowCounts
          .append(", count(*) FILTER (WHERE ")
          .append(IN_SERVICE)
          .append(" AND ")
          .append(bound)
          .append(") AS rw")
          .append(i);
      p.put("w" + i + "_end", now.plus(Duration.ofDays(windows.get(i))));
    }
    String sql =
        """
        WITH rv AS (
          SELECT c.not_after, c.not_before, c.trusted, c.replaced, c.is_ca, c.bound,
            c.seen_device_count, c.weaknesses, c.renew_at, c.last_connected_at, r.at::timestamptz AS revoked_at
          FROM certificates c
          JOIN unnest(:rev_sha256::text[], :rev_at::text[]) AS r(sha256, at)
            ON r.sha256 = c.sha256
          -- the = ANY makes the revoked few a primary-key lookup rather than a hash of the table
          WHERE c.sha256 = ANY(:rev_sha256::text[])
        ), rvs AS (
          SELECT count(*) AS r_revoked,
            count(*) FILTER (WHERE NOT (%1$s)) AS r_expired,
            count(*) FILTER (WHERE %1$s AND NOT trusted) AS r_untrusted,
            count(*) FILTER (WHERE %1$s AND trusted AND replaced) AS r_replaced,
            count(*) FILTER (WHERE %1$s AND %2$s) AS r_soon,
            count(*) FILTER (WHERE %1$s AND NOT bound AND NOT is_ca) AS r_unbound,
            count(*) FILTER (WHERE %1$s AND seen_device_count > 1) AS r_shared,
            count(*) FILTER (WHERE %1$s AND %3$s) AS r_weak_keys,
            count(*) FILTER (WHERE %1$s AND %4$s) AS r_weak_signatures,
            count(*) FILTER (WHERE %1$s AND %5$s) AS r_too_old,
            count(*) FILTER (WHERE last_connected_at > revoked_at) AS r_connecting
            %6$s
          FROM rv
        ), win AS (
          SELECT count(*) FILTER (WHERE %2$s) AS soon %7$s
          FROM certificates
          WHERE %1$s AND not_after <= :soon_end
        )
        SELECT
          (SELECT count(*) FROM certificates) AS total,
          (SELECT count(*) FROM certificates WHERE not_after <= :now) AS expired,
          (SELECT count(*) FROM certificates WHERE NOT trusted AND %1$s) AS untrusted,
          (SELECT count(*) FROM certificates WHERE replaced AND trusted AND %1$s) AS replaced,
          (SELECT count(*) FROM certificates WHERE NOT bound AND NOT is_ca AND %1$s) AS unbound,
          (SELECT count(*) FROM certificates WHERE seen_device_count > 1 AND %1$s) AS shared,
          (SELECT count(*) FILTER (WHERE %3$s) FROM certificates
            WHERE weaknesses <> '{}' AND %1$s) AS weak_keys,
          (SELECT count(*) FILTER (WHERE %4$s) FROM certificates
            WHERE weaknesses <> '{}' AND %1$s) AS weak_signatures,
          (SELECT count(*) FROM certificates WHERE %5$s AND %1$s) AS too_old,
          win.*, rvs.*
        FROM win, rvs"""
            .formatted(
                IN_SERVICE,
                SOON,
                WEAK_KEY,
                WEAK_SIGNATURE,
                TOO_OLD,
                revokedWindowCounts,
                windowCounts);
    p.put("now", now);
    p.put("soon_end", now.plus(Duration.ofDays(policy.soonDays())));
    p.put("too_old_before", now.minus(policy.maxAge()));
    p.put("rev_sha256", Sql.textArray(c, revoked.stream().map(Revocation::sha256).toList()));
    p.put("rev_at", Sql.textArray(c, revoked.stream().map(r -> r.revokedAt().toString()).toList()));
    try (PreparedStatement ps = Sql.prepare(c, sql, p);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      long total = rs.getLong("total");
      long revokedCount = rs.getLong("r_revoked");
      long expired = rs.getLong("expired") - rs.getLong("r_expired");
      long untrusted = rs.getLong("untrusted") - rs.getLong("r_untrusted");
      long replaced = rs.getLong("replaced") - rs.getLong("r_replaced");
      long soon = rs.getLong("soon") - rs.getLong("r_soon");
      Map<CertificateStatus, Long> byStatus = new EnumMap<>(CertificateStatus.class);
      byStatus.put(
          CertificateStatus.ACTIVE, total - revokedCount - expired - untrusted - replaced - soon);
      byStatus.put(CertificateStatus.EXPIRING_SOON, soon);
      byStatus.put(CertificateStatus.EXPIRED, expired);
      byStatus.put(CertificateStatus.REVOKED, revokedCount);
      byStatus.put(CertificateStatus.REPLACED, replaced);
      byStatus.put(CertificateStatus.UNTRUSTED, untrusted);
      Map<Integer, Long> expiring = new LinkedHashMap<>();
      for (int i = 0; i < windows.size(); i++) {
        expiring.put(windows.get(i), rs.getLong("w" + i) - rs.getLong("rw" + i));
      }
      return new PostureSummary(
          now,
          total,
          byStatus,
          expiring,
          rs.getLong("unbound") - rs.getLong("r_unbound"),
          rs.getLong("shared") - rs.getLong("r_shared"),
          rs.getLong("r_connecting"),
          rs.getLong("weak_keys") - rs.getLong("r_weak_keys"),
          rs.getLong("weak_signatures") - rs.getLong("r_weak_signatures"),
          untrusted,
          rs.getLong("too_old") - rs.getLong("r_too_old"));
    }
  }
}

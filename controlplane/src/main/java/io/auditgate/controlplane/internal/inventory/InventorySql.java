package io.auditgate.controlplane.internal.inventory;

/**
 * The inventory's SQL. Status is one expression ({@link #STATUS}) shared by lists, detail and the
 * expiring query; the posture summary counts the same rules by index (see {@link PostureQuery}),
 * and a test holds the two to the same answer. It reads {@code c} (certificates) and the parameters
 * {@code :now}, {@code :soon_end} (now + the largest window) and {@code :revoked}. Instants such as
 * {@code :soon_end} are computed by the caller: {@code timestamptz + interval} is only stable, so
 * PostgreSQL would evaluate it again on every row.
 */
final class InventorySql {
  private InventorySql() {}

  /**
   * The derived status, first match wins. Revocation is {@code = ANY} of the revoked fingerprints
   * passed as one array: PostgreSQL (14+) hashes a constant array, so the test costs the same
   * whatever the number of revocations, where a join against an unnested array was planned as a
   * nested loop.
   */
  static final String STATUS =
      """
      CASE WHEN c.sha256 = ANY(:revoked::text[]) THEN 'revoked'
        WHEN c.not_after <= :now THEN 'expired'
        WHEN NOT c.trusted THEN 'untrusted'
        WHEN c.replaced THEN 'replaced'
        WHEN c.not_after <= :soon_end AND c.renew_at < :now THEN 'expiring_soon'
        ELSE 'active' END""";

  static final String SUMMARY_COLUMNS =
      """
      c.sha256, c.subject, c.issuer, c.serial_hex, c.key_type, c.key_bits, c.signature_algorithm,
      c.not_before, c.not_after, c.is_ca, c.device_id, c.weaknesses, c.trusted, c.trust_reason,
      c.replaced_by, c.first_seen_at, c.last_seen_at""";

  static final String UPSERT_CERTIFICATE =
      """
      INSERT INTO certificates (sha256, subject, issuer, serial_hex, key_type, key_bits,
          signature_algorithm, not_before, not_after, renew_at, is_ca, device_id, weaknesses,
          trusted, trust_reason, trust_evaluated_at, first_seen_at, last_seen_at)
      VALUES (:sha256, :subject, :issuer, :serial_hex, :key_type, :key_bits, :signature_algorithm,
          :not_before, :not_after, :renew_at, :is_ca, :device_id, :weaknesses, :trusted, :trust_reason,
          :evaluated_at, :seen_at, :seen_at)
      ON CONFLICT (sha256) DO UPDATE SET
        first_seen_at = least(certificates.first_seen_at, excluded.first_seen_at),
        last_seen_at = greatest(certificates.last_seen_at, excluded.last_seen_at),
        trusted = excluded.trusted,
        trust_reason = excluded.trust_reason,
        trust_evaluated_at = excluded.trust_evaluated_at
      RETURNING (xmax = 0) AS inserted""";

  static final String UPSERT_BLOB =
      """
      INSERT INTO certificate_blobs (sha256, der, facts, chain_sha256)
      VALUES (:sha256, :der, :facts::jsonb, :chain)
      ON CONFLICT (sha256) DO UPDATE SET chain_sha256 = excluded.chain_sha256
      WHERE certificate_blobs.chain_sha256 IS DISTINCT FROM excluded.chain_sha256""";

  static final String UPSERT_SIGHTING =
      """
      INSERT INTO certificate_sightings (sha256, source, location, device_id, first_seen_at,
          last_seen_at, details)
      VALUES (:sha256, :source, :location, :device_id, :at, :at, :details::jsonb)
      ON CONFLICT (sha256, source, location, device_id) DO UPDATE SET
        first_seen_at = least(certificate_sightings.first_seen_at, excluded.first_seen_at),
        last_seen_at = greatest(certificate_sightings.last_seen_at, excluded.last_seen_at),
        seen_count = certificate_sightings.seen_count + 1,
        details = excluded.details""";

  /** The sighting caches on certificates, refreshed in the sighting's transaction. */
  static final String REFRESH_SIGHTING_CACHES =
      """
      UPDATE certificates SET
        seen_device_count = (SELECT count(DISTINCT device_id) FROM certificate_sightings
                             WHERE sha256 = :sha256 AND device_id <> ''),
        last_connected_at = CASE WHEN :listener THEN greatest(last_connected_at, :at)
                            ELSE last_connected_at END
      WHERE sha256 = :sha256""";

  /** Every certificate naming the device points at the newest one, unless it is the newest. */
  static final String REFRESH_REPLACEMENT =
      """
      WITH newest AS (
        SELECT sha256, not_before FROM certificates WHERE device_id = :device_id
        ORDER BY not_before DESC, sha256 DESC LIMIT 1)
      UPDATE certificates c
      SET replaced_by = CASE WHEN c.not_before < n.not_before THEN n.sha256 END
      FROM newest n
      WHERE c.device_id = :device_id
        AND c.replaced_by IS DISTINCT FROM
            (CASE WHEN c.not_before < n.not_before THEN n.sha256 END)""";

  static final String CA_CERTIFICATES_BY_SUBJECT =
      """
      SELECT b.der FROM certificates c JOIN certificate_blobs b USING (sha256)
      WHERE c.is_ca AND c.subject = ANY(:subjects)""";

  static final String EXPIRING =
      "SELECT "
          + SUMMARY_COLUMNS
          + ", "
          + STATUS
          + """
           AS status
          FROM certificates c
          WHERE c.not_after > :now AND c.not_after <= :days_end
            AND NOT (c.sha256 = ANY(:revoked::text[]))
          ORDER BY c.not_after, c.sha256
          LIMIT :limit""";

  static final String SIGHTINGS =
      """
      SELECT source, location, device_id, first_seen_at, last_seen_at, seen_count, details::text
      FROM certificate_sightings WHERE sha256 = :sha256
      ORDER BY last_seen_at DESC, id""";

  static final String BINDINGS =
      """
      SELECT 'device' AS kind, device_id AS target, NULL::timestamptz AS bound_at
      FROM devices WHERE bound_certificate_sha256 = :sha256
      UNION ALL
      SELECT kind, target, bound_at FROM certificate_bindings WHERE sha256 = :sha256
      ORDER BY 1, 2""";
}

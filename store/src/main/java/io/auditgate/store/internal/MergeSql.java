package io.auditgate.store.internal;

/**
 * The statements of one batch taking the merge (every batch the fast path, {@link FastPath}, does
 * not take). Messages go through a per-connection temporary staging table (no WAL, emptied at
 * commit) filled by {@code COPY}; one statement then inserts the new ones and, from exactly those,
 * their points, latest values, devices, gateways and (plain PostgreSQL) rollups, and adds the
 * batch's already-stored messages to each device's {@code duplicates_discarded}. The {@code ON
 * CONFLICT} clauses are shared with the fast path so that both fold a batch the same way. Upserts
 * take rows in key order so that concurrent writers lock in the same order and wait rather than
 * deadlock.
 */
public final class MergeSql {
  private MergeSql() {}

  public static final String CREATE_STAGING =
      """
      CREATE TEMP TABLE IF NOT EXISTS store_staging (
        ord           integer          NOT NULL,
        gateway_id    text COLLATE "C"             NOT NULL,
        wal_offset    bigint           NOT NULL,
        device_id     text COLLATE "C"             NOT NULL,
        seq           bigint,
        schema        text             NOT NULL,
        received_at   timestamptz      NOT NULL,
        device_time   timestamptz,
        time          timestamptz      NOT NULL,
        trace_id      text             NOT NULL,
        source_topic  text             NOT NULL,
        transport     text             NOT NULL,
        format        text             NOT NULL,
        tags          jsonb            NOT NULL,
        payload       jsonb,
        metric_keys   text[]           NOT NULL,
        metric_values double precision[] NOT NULL,
        holds_latest  boolean          NOT NULL,
        minute        timestamptz      NOT NULL
      ) ON COMMIT DELETE ROWS
      """;

  public static final String COPY_STAGING =
      "COPY store_staging (ord, gateway_id, wal_offset, device_id, seq, schema, received_at,"
          + " device_time, time, trace_id, source_topic, transport, format, tags, payload,"
          + " metric_keys, metric_values, holds_latest, minute) FROM STDIN";

  /**
   * The same rows as {@link #COPY_STAGING} in one statement: one array parameter per column (the
   * metric arrays as their text literals), so the whole batch is one round trip.
   */
  public static final String INSERT_STAGING =
      """
      INSERT INTO store_staging (ord, gateway_id, wal_offset, device_id, seq, schema, received_at,
          device_time, time, trace_id, source_topic, transport, format, tags, payload,
          metric_keys, metric_values, holds_latest, minute)
      SELECT ord, gateway_id, wal_offset, device_id, seq, schema, received_at, device_time, time,
          trace_id, source_topic, transport, format, tags::jsonb, payload::jsonb, keys::text[],
          vals::double precision[], holds_latest, minute
      FROM unnest(?::integer[], ?::text[], ?::bigint[], ?::text[], ?::bigint[], ?::text[],
          ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::text[], ?::text[], ?::text[],
          ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[], ?::timestamptz[])
        AS u(ord, gateway_id, wal_offset, device_id, seq, schema, received_at, device_time, time,
          trace_id, source_topic, transport, format, tags, payload, keys, vals, holds_latest,
          minute)
      """;

  private static final String MESSAGES_AND_POINTS =
      """
      WITH ins AS (
        INSERT INTO messages (device_id, seq, gateway_id, wal_offset, schema, received_at,
            device_time, trace_id, source_topic, transport, format, metric_count, tags, payload)
        SELECT device_id, seq, gateway_id, wal_offset, schema, received_at, device_time, trace_id,
            source_topic, transport, format, cardinality(metric_keys), tags, payload
        FROM store_staging ORDER BY ord
        ON CONFLICT DO NOTHING
        RETURNING gateway_id, wal_offset
      ), fresh AS (
        SELECT DISTINCT ON (s.gateway_id, s.wal_offset) s.*
        FROM store_staging s JOIN ins USING (gateway_id, wal_offset)
        ORDER BY s.gateway_id, s.wal_offset, s.ord
      ), p AS (
        SELECT f.time, f.device_id, f.gateway_id, m.metric COLLATE "C" AS metric, m.value, f.seq,
            f.holds_latest, f.minute
        FROM fresh f CROSS JOIN LATERAL unnest(f.metric_keys, f.metric_values) AS m(metric, value)
      ), pts AS (
        INSERT INTO points (time, device_id, gateway_id, metric, value, seq)
        SELECT time, device_id, gateway_id, metric, value, seq FROM p
      ), lat AS (
        INSERT INTO latest_values (device_id, metric, time, value, seq, gateway_id)
        SELECT DISTINCT ON (device_id, metric) device_id, metric, time, value, seq, gateway_id
        FROM p
        -- every message new: the writer marked the ones holding a latest value, sort only those
        WHERE holds_latest
          OR (SELECT count(*) FROM fresh) <> (SELECT count(*) FROM store_staging)
        ORDER BY device_id, metric, time DESC, seq DESC NULLS LAST
        %1$s
      ), staged AS (
        SELECT device_id, count(*) AS n FROM store_staging GROUP BY device_id
      ), dev AS (
        INSERT INTO devices (device_id, first_seen_at, last_telemetry_at, last_gateway_id, last_seq,
            last_activity_at, status, duplicates_discarded)
        SELECT device_id, min(received_at),
            max(received_at) FILTER (WHERE schema = 'telemetry.v1'),
            (array_agg(gateway_id ORDER BY received_at DESC))[1],
            (array_agg(seq ORDER BY received_at DESC))[1],
            max(received_at), 'active', min(n) - count(*)
        FROM fresh JOIN staged USING (device_id) GROUP BY device_id ORDER BY device_id
        %2$s
      ), dup AS (
        -- devices all of whose messages in the batch were already stored: only the counter moves
        UPDATE devices d SET duplicates_discarded = d.duplicates_discarded + st.n
        FROM staged st
        WHERE d.device_id = st.device_id
          AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.device_id = st.device_id)
      ), gw AS (
        INSERT INTO gateways (gateway_id, first_seen_at, last_seen_at)
        SELECT gateway_id, min(received_at), max(received_at)
        FROM fresh GROUP BY gateway_id ORDER BY gateway_id
        %3$s
      )%4$s
      SELECT count(*) FROM fresh
      """;

  /**
   * How a latest value is replaced: only by a value that is not older by (time, seq), a missing seq
   * counting as older than any; so latest values never go backwards, whatever order batches come
   * in. Shared by the merge and the fast path.
   */
  public static final String LATEST_ON_CONFLICT =
      """
      ON CONFLICT (device_id, metric) DO UPDATE
          SET time = excluded.time, value = excluded.value, seq = excluded.seq,
              gateway_id = excluded.gateway_id
          WHERE excluded.time > latest_values.time
            OR (excluded.time = latest_values.time
              AND (latest_values.seq IS NULL OR excluded.seq >= latest_values.seq))""";

  /**
   * How a batch's device row folds into the stored one (first seen, last telemetry, last gateway
   * and seq by activity, the duplicate counter added). Not the status: the fleet monitor owns it,
   * with the cause of every change. Shared by the merge and the fast path.
   */
  public static final String DEVICES_ON_CONFLICT =
      """
      ON CONFLICT (device_id) DO UPDATE SET
          first_seen_at = least(devices.first_seen_at, excluded.first_seen_at),
          last_telemetry_at = greatest(devices.last_telemetry_at, excluded.last_telemetry_at),
          last_gateway_id = CASE WHEN devices.last_activity_at IS NULL
              OR excluded.last_activity_at >= devices.last_activity_at
              THEN excluded.last_gateway_id ELSE devices.last_gateway_id END,
          last_seq = CASE WHEN devices.last_activity_at IS NULL
              OR excluded.last_activity_at >= devices.last_activity_at
              THEN excluded.last_seq ELSE devices.last_seq END,
          last_activity_at = greatest(devices.last_activity_at, excluded.last_activity_at),
          duplicates_discarded = devices.duplicates_discarded + excluded.duplicates_discarded""";

  /** How a batch's gateway row folds into the stored one. */
  public static final String GATEWAYS_ON_CONFLICT =
      """
      ON CONFLICT (gateway_id) DO UPDATE SET
          first_seen_at = least(gateways.first_seen_at, excluded.first_seen_at),
          last_seen_at = greatest(gateways.last_seen_at, excluded.last_seen_at)""";

  /**
   * How rollup deltas fold into the stored bucket: counts and sums add, min/max combine. The target
   * table goes by the name {@code rollups} in the statement.
   */
  public static final String ROLLUPS_ON_CONFLICT =
      """
      ON CONFLICT (scope, scope_id, resolution, bucket, metric) DO UPDATE SET
          count = rollups.count + excluded.count,
          min = least(rollups.min, excluded.min),
          max = greatest(rollups.max, excluded.max),
          sum = rollups.sum + excluded.sum""";

  /**
   * Folds every committed rollup delta into {@code rollups_folded}, in one statement: the deltas it
   * deletes are exactly the ones it adds (one snapshot), a concurrent fold skips the rows this one
   * deleted, and the buckets are upserted in key order, so folds by several writers never count a
   * delta twice nor deadlock. Returns the number of deltas folded.
   */
  public static final String FOLD_ROLLUPS =
      """
      WITH d AS (
        DELETE FROM rollup_deltas
        RETURNING scope, scope_id, resolution, bucket, metric, count, min, max, sum
      ), folded AS (
        INSERT INTO rollups_folded AS rollups
            (scope, scope_id, resolution, bucket, metric, count, min, max, sum)
        SELECT scope, scope_id, resolution, bucket, metric, sum(count), min(min), max(max), sum(sum)
        FROM d
        GROUP BY scope, scope_id, resolution, bucket, metric
        ORDER BY scope, scope_id, resolution, bucket, metric
        %s
      )
      SELECT count(*) FROM d
      """
          .formatted(ROLLUPS_ON_CONFLICT);

  // Points are folded into device-minute buckets first (the minute cut by the writer, not per point
  // here); hour and gateway buckets are folded from
  // those, so the expensive grouping runs over the points once rather than four times. What the
  // batch adds to each bucket goes to rollup_deltas (FOLD_ROLLUPS folds them later).
  private static final String ROLLUPS =
      """
      , dm AS (
        SELECT device_id, gateway_id, minute AS bucket, metric,
            count(*) AS n, min(value) AS lo, max(value) AS hi, sum(value) AS total
        FROM p GROUP BY device_id, gateway_id, minute, metric
      ), roll AS (
        INSERT INTO rollup_deltas
            (scope, scope_id, resolution, bucket, metric, count, min, max, sum)
        SELECT scope, scope_id, resolution, bucket, metric, sum(n), min(lo), max(hi), sum(total)
        FROM (
          SELECT 'device' AS scope, device_id AS scope_id, 'minute' AS resolution, bucket, metric,
              n, lo, hi, total FROM dm
          UNION ALL SELECT 'device', device_id, 'hour', date_trunc('hour', bucket, 'UTC'), metric,
              n, lo, hi, total FROM dm
          UNION ALL SELECT 'gateway', gateway_id, 'minute', bucket, metric, n, lo, hi, total
              FROM dm
          UNION ALL SELECT 'gateway', gateway_id, 'hour', date_trunc('hour', bucket, 'UTC'), metric,
              n, lo, hi, total FROM dm
        ) r
        GROUP BY scope, scope_id, resolution, bucket, metric
      )""";

  /** The merge with writer-kept rollups (plain PostgreSQL). */
  public static final String MERGE_WITH_ROLLUPS =
      MESSAGES_AND_POINTS.formatted(
          LATEST_ON_CONFLICT, DEVICES_ON_CONFLICT, GATEWAYS_ON_CONFLICT, ROLLUPS);

  /** The merge without rollups (TimescaleDB keeps them as continuous aggregates). */
  public static final String MERGE =
      MESSAGES_AND_POINTS.formatted(
          LATEST_ON_CONFLICT, DEVICES_ON_CONFLICT, GATEWAYS_ON_CONFLICT, "");

  /** Gateway events, new ones only, and the gateways they speak of. Parameters are arrays. */
  public static final String GATEWAY_EVENTS =
      """
      WITH ins AS (
        INSERT INTO gateway_events (gateway_id, wal_offset, kind, at, attributes)
        SELECT g, o, k, a::timestamptz, j::jsonb
        FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[]) AS e(g, o, k, a, j)
        ORDER BY g, o
        ON CONFLICT DO NOTHING
        RETURNING gateway_id, kind, at
      ), gw AS (
        INSERT INTO gateways (gateway_id, first_seen_at, last_seen_at, last_event_kind,
            last_event_at)
        SELECT DISTINCT ON (gateway_id) gateway_id, at, at, kind, at
        FROM ins ORDER BY gateway_id, at DESC
        ON CONFLICT (gateway_id) DO UPDATE SET
          first_seen_at = least(gateways.first_seen_at, excluded.first_seen_at),
          last_seen_at = greatest(gateways.last_seen_at, excluded.last_seen_at),
          last_event_kind = CASE WHEN gateways.last_event_at IS NULL
              OR excluded.last_event_at >= gateways.last_event_at
              THEN excluded.last_event_kind ELSE gateways.last_event_kind END,
          last_event_at = greatest(gateways.last_event_at, excluded.last_event_at)
      )
      SELECT count(*) FROM ins
      """;
}

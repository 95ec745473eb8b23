-- TimescaleDB: narrow points in a hypertable (one chunk per day), compressed after a week, dropped
-- by a retention policy; rollups are continuous aggregates the engine keeps, never the writer.
-- Identifiers are COLLATE "C" from the start (the plain flavour needed V4 for that).

CREATE TABLE points (
  time       timestamptz      NOT NULL,
  device_id  text COLLATE "C" NOT NULL,
  gateway_id text COLLATE "C" NOT NULL,
  metric     text COLLATE "C" NOT NULL,
  value      double precision NOT NULL,
  seq        bigint
);
-- No default time index: the hypertable's chunk exclusion does the coarse work and (device_id,
-- time) serves per-device queries; a second btree on time alone would cost every insert.
SELECT create_hypertable('points', by_range('time', INTERVAL '1 day'), create_default_indexes => false);
CREATE INDEX points_device_time ON points (device_id, time DESC);

-- Columnar compression of chunks older than a week: one segment per device, ordered by time, the
-- shape of every history query ("device X, metric Y, from..to").
ALTER TABLE points SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'device_id',
  timescaledb.compress_orderby = 'time DESC'
);
SELECT add_compression_policy('points', compress_after => INTERVAL '7 days');

-- Retention: chunks entirely older than 90 days are dropped by TimescaleDB's job. (Messages, which
-- hold the idempotency keys, are pruned by StoreMaintenance.applyRetention with the configured
-- window; keep the two consistent: see docs/store.md.)
SELECT add_retention_policy('points', drop_after => INTERVAL '90 days');

-- Rollups: one continuous aggregate per minute and device/gateway/metric, and an hourly one built on
-- it (hierarchical: the hour refresh reads minutes, not points). count/min/max/sum are stored; avg
-- is stored too for direct use of the aggregate, and recomputed as sum/count where buckets merge.
CREATE MATERIALIZED VIEW points_1m
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '1 minute', time) AS bucket, device_id, gateway_id, metric,
       count(*) AS count, min(value) AS min, max(value) AS max, sum(value) AS sum,
       avg(value) AS avg
FROM points
GROUP BY time_bucket(INTERVAL '1 minute', time), device_id, gateway_id, metric
WITH NO DATA;

CREATE MATERIALIZED VIEW points_1h
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '1 hour', bucket) AS bucket, device_id, gateway_id, metric,
       sum(count)::bigint AS count, min(min) AS min, max(max) AS max, sum(sum) AS sum,
       sum(sum) / sum(count) AS avg
FROM points_1m
GROUP BY time_bucket(INTERVAL '1 hour', bucket), device_id, gateway_id, metric
WITH NO DATA;

SELECT add_continuous_aggregate_policy('points_1m',
  start_offset => INTERVAL '3 hours', end_offset => INTERVAL '1 minute',
  schedule_interval => INTERVAL '1 minute');
SELECT add_continuous_aggregate_policy('points_1h',
  start_offset => INTERVAL '3 days', end_offset => INTERVAL '1 hour',
  schedule_interval => INTERVAL '10 minutes');
SELECT add_retention_policy('points_1m', drop_after => INTERVAL '90 days');
SELECT add_retention_policy('points_1h', drop_after => INTERVAL '400 days');

-- The plain flavour's `rollups` table, as a view over the aggregates: per device and per gateway,
-- per minute and per hour, so queries read the same shape whichever flavour holds the data.
CREATE VIEW rollups AS
SELECT 'device'::text COLLATE "C" AS scope, device_id AS scope_id,
       'minute'::text COLLATE "C" AS resolution, bucket, metric,
       sum(count)::bigint AS count, min(min) AS min, max(max) AS max, sum(sum) AS sum,
       sum(sum) / sum(count) AS avg
FROM points_1m GROUP BY device_id, bucket, metric
UNION ALL
SELECT 'gateway', gateway_id, 'minute', bucket, metric,
       sum(count)::bigint, min(min), max(max), sum(sum), sum(sum) / sum(count)
FROM points_1m GROUP BY gateway_id, bucket, metric
UNION ALL
SELECT 'device', device_id, 'hour', bucket, metric,
       sum(count)::bigint, min(min), max(max), sum(sum), sum(sum) / sum(count)
FROM points_1h GROUP BY device_id, bucket, metric
UNION ALL
SELECT 'gateway', gateway_id, 'hour', bucket, metric,
       sum(count)::bigint, min(min), max(max), sum(sum), sum(sum) / sum(count)
FROM points_1h GROUP BY gateway_id, bucket, metric;

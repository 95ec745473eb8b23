-- Rollups without upserts in the write transaction. A batch appends what it adds to each bucket to
-- rollup_deltas (a plain COPY, no index), in its own transaction, so the deltas are exactly the
-- committed messages'; the writer folds the deltas into rollups_folded now and then (one
-- statement: DELETE … RETURNING into an upsert, so each delta is folded exactly once, whoever
-- folds). Readers see both through the view `rollups`, so a bucket is exact the moment its batch
-- commits: the shape of TimescaleDB's real-time continuous aggregates. Measured by
-- `auditgate bench store`: the upserts were most of what a batch costs beyond its own rows, and a
-- fold upserts each bucket once for many batches.

ALTER TABLE rollups RENAME TO rollups_folded;

CREATE TABLE rollup_deltas (
  scope      text COLLATE "C" NOT NULL,
  scope_id   text COLLATE "C" NOT NULL,
  resolution text COLLATE "C" NOT NULL,
  bucket     timestamptz      NOT NULL,
  metric     text COLLATE "C" NOT NULL,
  count      bigint           NOT NULL,
  min        double precision NOT NULL,
  max        double precision NOT NULL,
  sum        double precision NOT NULL
);

-- Conditions on the key columns reach both tables below the grouping.
CREATE VIEW rollups AS
SELECT scope, scope_id, resolution, bucket, metric,
       sum(count)::bigint AS count, min(min) AS min, max(max) AS max, sum(sum) AS sum,
       sum(sum) / sum(count) AS avg
FROM (
  SELECT scope, scope_id, resolution, bucket, metric, count, min, max, sum FROM rollups_folded
  UNION ALL
  SELECT scope, scope_id, resolution, bucket, metric, count, min, max, sum FROM rollup_deltas
) r
GROUP BY scope, scope_id, resolution, bucket, metric;

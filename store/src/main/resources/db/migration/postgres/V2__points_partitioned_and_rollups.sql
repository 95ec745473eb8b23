-- Plain PostgreSQL: narrow points range-partitioned by day (UTC), created ahead by the writer and
-- the maintenance job, dropped whole by retention; rollups kept by the writer in the same
-- transaction as the points they summarise.

CREATE TABLE points (
  time       timestamptz      NOT NULL,
  device_id  text             NOT NULL,
  gateway_id text             NOT NULL,
  metric     text             NOT NULL,
  value      double precision NOT NULL,
  seq        bigint
) PARTITION BY RANGE (time);
-- Points arrive nearly in time order: a BRIN index is a few pages per partition and costs the
-- writer almost nothing, where a btree would cost every insert.
CREATE INDEX points_time_brin ON points USING brin (time);

-- count/min/max/sum per device and per gateway, per minute and per hour. avg is derived so that
-- merging a batch into an existing bucket stays exact.
CREATE TABLE rollups (
  scope      text             NOT NULL CHECK (scope IN ('device', 'gateway')),
  scope_id   text             NOT NULL,
  resolution text             NOT NULL CHECK (resolution IN ('minute', 'hour')),
  bucket     timestamptz      NOT NULL,
  metric     text             NOT NULL,
  count      bigint           NOT NULL,
  min        double precision NOT NULL,
  max        double precision NOT NULL,
  sum        double precision NOT NULL,
  avg        double precision GENERATED ALWAYS AS (sum / count) STORED,
  PRIMARY KEY (scope, scope_id, resolution, bucket, metric)
);
CREATE INDEX rollups_bucket ON rollups (resolution, bucket);

-- The tables both flavours share (plain PostgreSQL and TimescaleDB). The time-series tables
-- (points, rollups) differ per flavour and live in V2 of `postgres` or `timescaledb`.

-- One row per message: the store's memory of what it holds. The idempotency key is
-- (device_id, seq) when the device sent seq, else (gateway_id, wal_offset); the two partial unique
-- indexes enforce it whatever the message's time, so a device resending seq 42 a day later with a
-- new received_at is still a duplicate. Not partitioned by time for that reason: a key that had to
-- include time could not catch late resends.
CREATE TABLE messages (
  device_id    text        NOT NULL,
  seq          bigint,
  gateway_id   text        NOT NULL,
  wal_offset   bigint      NOT NULL,
  schema       text        NOT NULL,
  received_at  timestamptz NOT NULL,
  device_time  timestamptz,
  trace_id     text        NOT NULL,
  source_topic text        NOT NULL,
  transport    text        NOT NULL,
  format       text        NOT NULL,
  metric_count smallint    NOT NULL,
  tags         jsonb       NOT NULL,
  payload      jsonb,
  stored_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX messages_device_seq_key ON messages (device_id, seq) WHERE seq IS NOT NULL;
CREATE UNIQUE INDEX messages_gateway_offset_key ON messages (gateway_id, wal_offset) WHERE seq IS NULL;
-- Retention deletes by received_at; rows arrive roughly in that order, which is what BRIN wants.
CREATE INDEX messages_received_at_brin ON messages USING brin (received_at);

-- Latest value per device and metric, for the fleet view without scanning history.
CREATE TABLE latest_values (
  device_id  text             NOT NULL,
  metric     text             NOT NULL,
  time       timestamptz      NOT NULL,
  value      double precision NOT NULL,
  seq        bigint,
  gateway_id text             NOT NULL,
  PRIMARY KEY (device_id, metric)
);

-- Registry and connectivity state. The writer keeps last telemetry, last gateway and activity;
-- connect/disconnect and the status rules (active | stale | offline | never_seen) are fed by the
-- fleet state (issue 5).
CREATE TABLE devices (
  device_id          text        PRIMARY KEY,
  first_seen_at      timestamptz NOT NULL,
  last_telemetry_at  timestamptz,
  last_gateway_id    text,
  last_seq           bigint,
  last_connect_at    timestamptz,
  last_disconnect_at timestamptz,
  last_activity_at   timestamptz,
  status             text        NOT NULL DEFAULT 'never_seen'
    CHECK (status IN ('active', 'stale', 'offline', 'never_seen'))
);

CREATE TABLE gateways (
  gateway_id      text        PRIMARY KEY,
  first_seen_at   timestamptz NOT NULL,
  last_seen_at    timestamptz NOT NULL,
  last_event_kind text,
  last_event_at   timestamptz
);

-- Gateway lifecycle events (gateway_event.v1): audit evidence of restarts, recoveries, outages.
-- Keyed by where the gateway logged them, so a resent event is stored once.
CREATE TABLE gateway_events (
  gateway_id text        NOT NULL,
  wal_offset bigint      NOT NULL,
  kind       text        NOT NULL,
  at         timestamptz NOT NULL,
  attributes jsonb       NOT NULL,
  stored_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (gateway_id, wal_offset)
);
CREATE INDEX gateway_events_gateway_at ON gateway_events (gateway_id, at);

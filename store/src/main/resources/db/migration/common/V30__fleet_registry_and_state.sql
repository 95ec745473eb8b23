-- The fleet model (issue 5): device profiles, the registry fields operators set on devices and
-- gateways, the state the fleet monitor derives, and the log of every state change with its cause.
-- Rules and formats: docs/fleet.md.

-- A kind of device and how often it reports: a device is stale after stale_after_intervals x
-- expected_interval_seconds without telemetry.
CREATE TABLE device_profiles (
  name                      text COLLATE "C" PRIMARY KEY,
  expected_interval_seconds integer NOT NULL CHECK (expected_interval_seconds >= 1),
  stale_after_intervals     integer NOT NULL DEFAULT 3
    CHECK (stale_after_intervals BETWEEN 1 AND 1000),
  description               text
);
INSERT INTO device_profiles (name, expected_interval_seconds, stale_after_intervals, description)
VALUES
  ('default', 60, 3, 'Any device not registered with a profile of its own'),
  ('b-l475e-iot01a', 10, 3,
   'STM32 B-L475E-IOT01A discovery kit: HTS221, LPS22HB, LSM6DSL, LIS3MDL, VL53L0X');

-- Registry fields. A device registered up front (import, API) has not been seen: first_seen_at is
-- then null until its first message. status stays the state column; the fleet monitor writes it
-- together with state_since and state_cause.
ALTER TABLE devices
  ALTER COLUMN first_seen_at DROP NOT NULL,
  ADD COLUMN name text,
  ADD COLUMN profile text COLLATE "C" NOT NULL DEFAULT 'default'
    REFERENCES device_profiles (name) ON UPDATE CASCADE,
  ADD COLUMN location text,
  ADD COLUMN firmware_version text,
  ADD COLUMN bound_certificate_sha256 text CHECK (bound_certificate_sha256 ~ '^[0-9a-f]{64}$'),
  ADD COLUMN tags jsonb NOT NULL DEFAULT '{}',
  ADD COLUMN registered_via text NOT NULL DEFAULT 'first_contact'
    CHECK (registered_via IN ('first_contact', 'import', 'api')),
  ADD COLUMN state_since timestamptz,
  ADD COLUMN state_cause text;
CREATE INDEX devices_last_gateway ON devices (last_gateway_id);
-- A certificate is bound to one device at most.
CREATE UNIQUE INDEX devices_bound_certificate ON devices (bound_certificate_sha256)
  WHERE bound_certificate_sha256 IS NOT NULL;

ALTER TABLE gateways
  ALTER COLUMN first_seen_at DROP NOT NULL,
  ALTER COLUMN last_seen_at DROP NOT NULL,
  ADD COLUMN name text,
  ADD COLUMN location text,
  ADD COLUMN tags jsonb NOT NULL DEFAULT '{}',
  ADD COLUMN state text NOT NULL DEFAULT 'down'
    CHECK (state IN ('up', 'down', 'restarted', 'upstream_interrupted')),
  ADD COLUMN state_since timestamptz,
  ADD COLUMN state_cause text,
  ADD COLUMN last_heartbeat_at timestamptz,
  ADD COLUMN backlog_records bigint NOT NULL DEFAULT 0,
  ADD COLUMN backlog_bytes bigint NOT NULL DEFAULT 0,
  ADD COLUMN oldest_unsent_age_ms bigint;

-- Every state change the monitor decided, with the human cause and the correlated evidence
-- (details: the gateway's events in the window, the last disconnect, a certificate change). Written
-- in the same transaction as the new state. from_state is null for an entity's first evaluation.
CREATE TABLE fleet_state_changes (
  id          bigserial        PRIMARY KEY,
  entity_kind text COLLATE "C" NOT NULL CHECK (entity_kind IN ('device', 'gateway')),
  entity_id   text COLLATE "C" NOT NULL,
  from_state  text,
  to_state    text             NOT NULL,
  at          timestamptz      NOT NULL,
  cause       text             NOT NULL,
  details     jsonb            NOT NULL DEFAULT '{}'
);
-- The monitor's "last recorded state" and the device/gateway page read per entity, newest first.
CREATE INDEX fleet_state_changes_entity ON fleet_state_changes (entity_kind, entity_id, id);
-- Review windows ("which devices went stale between ...").
CREATE INDEX fleet_state_changes_at ON fleet_state_changes (at, entity_kind);

-- When the monitor last evaluated (one row): the summary says how fresh the states are.
CREATE TABLE fleet_monitor (
  id                integer     PRIMARY KEY CHECK (id = 1),
  last_evaluated_at timestamptz NOT NULL
);

-- The monitor reads each gateway's latest event of each kind; rare kinds (started, recovered) must
-- not cost a walk back through every heartbeat.
CREATE INDEX gateway_events_gateway_kind_at ON gateway_events (gateway_id, kind, at);

-- Certificate posture reads the connect events that carried a client certificate.
CREATE INDEX device_connectivity_certificate
  ON device_connectivity ((details ->> 'certificate_sha256'))
  WHERE details ? 'certificate_sha256';

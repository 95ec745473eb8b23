-- Certificate alerts and the certificate event log.
--
-- An alert is one rule firing for one certificate (alert_key = '<rule>:<sha256>'). At most one
-- alert per key is open (raised or acknowledged) at a time, enforced by the partial unique index,
-- so re-evaluating after a restart finds the open alert instead of raising a second one. When the
-- rule stops firing the alert is resolved; should it fire again later, that is a new alert.
CREATE TABLE certificate_alerts (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_key       text COLLATE "C" NOT NULL,
  rule            text COLLATE "C" NOT NULL,
  severity        text COLLATE "C" NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  sha256          text COLLATE "C" NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  subject         text             NOT NULL,
  summary         text             NOT NULL,
  details         jsonb            NOT NULL DEFAULT '{}',
  state           text COLLATE "C" NOT NULL CHECK (state IN ('raised', 'acknowledged', 'resolved')),
  raised_at       timestamptz      NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by text,
  acknowledge_note text,
  resolved_at     timestamptz
);
CREATE UNIQUE INDEX certificate_alerts_open_key ON certificate_alerts (alert_key)
  WHERE state <> 'resolved';
CREATE INDEX certificate_alerts_sha256 ON certificate_alerts (sha256, id);
CREATE INDEX certificate_alerts_open ON certificate_alerts (rule) WHERE state <> 'resolved';

-- The webhook outbox: one row per notification (an alert raised or resolved), written in the
-- same transaction as the alert's change so a crash can neither notify about an alert that was
-- not stored nor store one that is never notified. Delivered at least once; the receiver
-- de-duplicates on the delivery id it is sent.
CREATE TABLE certificate_alert_deliveries (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id        bigint           NOT NULL REFERENCES certificate_alerts (id),
  kind            text COLLATE "C" NOT NULL CHECK (kind IN ('raised', 'resolved')),
  payload         jsonb            NOT NULL,
  created_at      timestamptz      NOT NULL,
  attempts        integer          NOT NULL DEFAULT 0,
  next_attempt_at timestamptz      NOT NULL,
  delivered_at    timestamptz,
  failed_at       timestamptz,
  last_error      text
);
CREATE INDEX certificate_alert_deliveries_due ON certificate_alert_deliveries (next_attempt_at)
  WHERE delivered_at IS NULL AND failed_at IS NULL;

-- What happened to a certificate, oldest first: the timeline of the certificate's page and
-- evidence for an audit window. Alerts write here; issuance, revocation and renewal steps may too.
CREATE TABLE certificate_events (
  id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sha256  text COLLATE "C" NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  at      timestamptz      NOT NULL,
  kind    text COLLATE "C" NOT NULL,
  summary text             NOT NULL,
  details jsonb            NOT NULL DEFAULT '{}'
);
CREATE INDEX certificate_events_sha256 ON certificate_events (sha256, id);
CREATE INDEX certificate_events_at ON certificate_events (at);

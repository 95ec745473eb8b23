-- The HTTPS ingest listener's certificate_presented device event: a device authenticated with a
-- client certificate (at most once per TLS connection and per de-duplication interval). HTTP has no
-- session, so it is neither a connect nor a disconnect: recorded here beside them so that the
-- certificate inventory's listener sightings collector reads it (certificate_der), while it moves
-- only the device's last_activity_at (see ConnectivitySql), never last_connect_at or the status.
ALTER TABLE device_connectivity DROP CONSTRAINT device_connectivity_event_check;
ALTER TABLE device_connectivity ADD CONSTRAINT device_connectivity_event_check
  CHECK (event IN ('connected', 'disconnected', 'certificate_presented'));

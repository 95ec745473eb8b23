-- Device connectivity fed from the stream: each connect and disconnect the gateway's MQTT listener
-- logged as a device event (device_event.v1, payload event "connected" or "disconnected") is
-- recorded here once, keyed like the message it came in, and folds into the devices row
-- (last_connect_at, last_disconnect_at, status). A plain table in both flavours: it is small, and
-- the fleet view reads it per device. Numbered well above the other migrations so that the
-- flavours' own files never collide with it.
CREATE TABLE device_connectivity (
  gateway_id text COLLATE "C" NOT NULL,
  wal_offset bigint           NOT NULL,
  device_id  text COLLATE "C" NOT NULL,
  at         timestamptz      NOT NULL,
  event      text             NOT NULL CHECK (event IN ('connected', 'disconnected')),
  -- the CloseReason label of a disconnect (client_disconnect, connection_lost,
  -- server_shutting_down, ...); null for a connect
  reason     text,
  -- the rest of the event: client_id, protocol, tls, auth, other_connections
  details    jsonb            NOT NULL,
  stored_at  timestamptz      NOT NULL DEFAULT now(),
  PRIMARY KEY (gateway_id, wal_offset)
);
CREATE INDEX device_connectivity_device_at ON device_connectivity (device_id, at);

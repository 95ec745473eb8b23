-- The certificate inventory (issue 6): every certificate known from any source, parsed from its
-- X.509 (never typed in), where and when it was seen, what it is bound to, and its renewal
-- workflow. Status (active, expiring_soon, expired, revoked, replaced, untrusted) is NOT stored: it
-- is derived at read time from these columns, the clock and the revocation view. Rules, caches and
-- queries: docs/certificates-inventory.md.

-- One row per certificate, keyed by the SHA-256 of its DER (the fleet's bindings use the same key).
-- Only the columns lists filter and sort on and the posture summary counts; the DER, the chain and
-- the rest of the facts live in certificate_blobs so that a scan over 100,000 rows stays narrow.
CREATE TABLE certificates (
  sha256              text COLLATE "C" PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  subject             text             NOT NULL,
  issuer              text             NOT NULL,
  serial_hex          text COLLATE "C" NOT NULL CHECK (serial_hex ~ '^[0-9a-f]+$'),
  key_type            text COLLATE "C" NOT NULL
    CHECK (key_type IN ('ec', 'rsa', 'ed25519', 'ed448', 'dsa', 'other')),
  key_bits            integer          NOT NULL CHECK (key_bits >= 0),
  signature_algorithm text COLLATE "C" NOT NULL,
  not_before          timestamptz      NOT NULL,
  not_after           timestamptz      NOT NULL,
  -- two thirds into the lifetime: from here less than a third is left ("expiring soon" within the
  -- windows) and automatic renewal is due; a fact of the certificate, stored so that the rule is a
  -- comparison rather than interval arithmetic on every row
  renew_at            timestamptz      NOT NULL,
  is_ca               boolean          NOT NULL,
  -- the device the certificate names through its SAN URI urn:auditgate:device:<id>
  device_id           text COLLATE "C",
  -- weak key / signature reasons (rsa_key_under_2048, sha1_signature, md5_signature): a property
  -- of the DER, so it never goes stale
  weaknesses          text[]           NOT NULL DEFAULT '{}',
  -- the chain verdict against the configured trust anchors (cached: it depends on the anchors and
  -- on which intermediates are known, and is re-evaluated when either changes)
  trusted             boolean          NOT NULL,
  trust_reason        text COLLATE "C",
  trust_evaluated_at  timestamptz      NOT NULL,
  -- a newer certificate (later not_before) naming the same device; kept by the inventory when it
  -- records a device certificate, derived from certificates only
  replaced_by         text COLLATE "C",
  replaced            boolean GENERATED ALWAYS AS (replaced_by IS NOT NULL) STORED,
  -- whether anything binds the certificate (a device through devices.bound_certificate_sha256, or
  -- a row of certificate_bindings): kept by the triggers below, so that "unbound" is an index
  -- count rather than an anti-join against every device
  bound               boolean          NOT NULL DEFAULT false,
  first_seen_at       timestamptz      NOT NULL,
  last_seen_at        timestamptz      NOT NULL,
  -- caches of certificate_sightings, written in the same transaction as the sighting: the posture
  -- summary must not aggregate every sighting at each read
  seen_device_count   integer          NOT NULL DEFAULT 0,
  last_connected_at   timestamptz,
  CHECK (not_after >= not_before),
  CHECK (renew_at BETWEEN not_before AND not_after),
  CHECK (trusted = (trust_reason IS NULL))
);
-- Expiring-soon lists and the 30/60/90-day counts are range scans on not_after; the included
-- columns let the posture's window counts run as index-only scans.
CREATE INDEX certificates_not_after ON certificates (not_after)
  INCLUDE (renew_at, trusted, replaced);
-- The posture summary counts each rule over the certificates still in service (not_after > now)
-- through a partial index on the rule's rows, which are few in a healthy fleet, instead of
-- evaluating every rule on every row (a scan of 100,000 rows costs more than the 50 ms target).
CREATE INDEX certificates_untrusted ON certificates (not_after) WHERE NOT trusted;
CREATE INDEX certificates_replaced ON certificates (not_after) INCLUDE (trusted) WHERE replaced;
CREATE INDEX certificates_unbound ON certificates (not_after) WHERE NOT bound AND NOT is_ca;
CREATE INDEX certificates_shared ON certificates (not_after) WHERE seen_device_count > 1;
CREATE INDEX certificates_weak ON certificates (not_after) WHERE weaknesses <> '{}';
CREATE INDEX certificates_not_before ON certificates (not_before) INCLUDE (not_after);
-- A device's certificates, newest first (replacement, device page).
CREATE INDEX certificates_device ON certificates (device_id, not_before) WHERE device_id IS NOT NULL;
-- Filters by issuer and by key type.
CREATE INDEX certificates_issuer ON certificates (issuer, not_after);
CREATE INDEX certificates_key_type ON certificates (key_type, key_bits);
-- Intermediates for path building are looked up by subject.
CREATE INDEX certificates_ca_subject ON certificates (subject) WHERE is_ca;

CREATE TABLE certificate_blobs (
  sha256       text COLLATE "C" PRIMARY KEY REFERENCES certificates (sha256) ON DELETE CASCADE,
  der          bytea            NOT NULL,
  -- the rest of the facts: SANs, key curve, key usage, EKU, path length, self-signed
  facts        jsonb            NOT NULL,
  -- the path found to an anchor (leaf first) when trusted, else the chain as presented
  chain_sha256 text[]           NOT NULL DEFAULT '{}'
);

-- Where a certificate was seen: one row per (certificate, source, location, device), moved forward
-- (last_seen_at, seen_count) by each new sighting, so recording is idempotent in rows.
CREATE TABLE certificate_sightings (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sha256        text COLLATE "C" NOT NULL REFERENCES certificates (sha256) ON DELETE CASCADE,
  source        text COLLATE "C" NOT NULL CHECK (source IN ('listener_mqtt', 'listener_https',
                  'endpoint', 'file', 'keystore', 'issued', 'trust_bundle')),
  -- listener name, host:port, file path, ...
  location      text COLLATE "C" NOT NULL CHECK (length(location) BETWEEN 1 AND 1024),
  -- '' when the sighting names no device: part of the key, and nulls are never equal
  device_id     text COLLATE "C" NOT NULL DEFAULT '',
  first_seen_at timestamptz      NOT NULL,
  last_seen_at  timestamptz      NOT NULL,
  seen_count    bigint           NOT NULL DEFAULT 1 CHECK (seen_count >= 1),
  -- what the source adds: protocol and cipher for an endpoint, the file's format
  details       jsonb            NOT NULL DEFAULT '{}',
  UNIQUE (sha256, source, location, device_id)
);
CREATE INDEX certificate_sightings_device ON certificate_sightings (device_id, sha256)
  WHERE device_id <> '';
CREATE INDEX certificate_sightings_source ON certificate_sightings (source, sha256);

-- Bindings other than to a device. A device binding is the fleet registry's
-- devices.bound_certificate_sha256 (V30), exclusive by its unique index; it is not duplicated here.
CREATE TABLE certificate_bindings (
  sha256   text COLLATE "C" NOT NULL REFERENCES certificates (sha256) ON DELETE CASCADE,
  kind     text COLLATE "C" NOT NULL
    CHECK (kind IN ('gateway', 'listener', 'endpoint', 'trust_bundle')),
  target   text COLLATE "C" NOT NULL CHECK (length(target) BETWEEN 1 AND 1024),
  bound_at timestamptz      NOT NULL,
  PRIMARY KEY (sha256, kind, target)
);
CREATE INDEX certificate_bindings_target ON certificate_bindings (kind, target);

-- certificates.bound follows the bindings in the same transaction as the change.
CREATE FUNCTION certificate_refresh_bound(fingerprint text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE certificates c
  SET bound = EXISTS (SELECT 1 FROM devices d WHERE d.bound_certificate_sha256 = fingerprint)
           OR EXISTS (SELECT 1 FROM certificate_bindings b WHERE b.sha256 = fingerprint)
  WHERE c.sha256 = fingerprint;
END
$$;

CREATE FUNCTION certificate_binding_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'devices' THEN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.bound_certificate_sha256 IS NOT NULL THEN
      PERFORM certificate_refresh_bound(OLD.bound_certificate_sha256);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.bound_certificate_sha256 IS NOT NULL THEN
      PERFORM certificate_refresh_bound(NEW.bound_certificate_sha256);
    END IF;
  ELSE
    IF TG_OP = 'DELETE' THEN
      PERFORM certificate_refresh_bound(OLD.sha256);
    ELSE
      PERFORM certificate_refresh_bound(NEW.sha256);
    END IF;
  END IF;
  RETURN NULL;
END
$$;

-- The WHEN clauses keep the store's device upserts (every batch) from paying for the trigger.
CREATE TRIGGER devices_certificate_bound_insert AFTER INSERT ON devices
  FOR EACH ROW WHEN (NEW.bound_certificate_sha256 IS NOT NULL)
  EXECUTE FUNCTION certificate_binding_changed();
CREATE TRIGGER devices_certificate_bound_update AFTER UPDATE OF bound_certificate_sha256 ON devices
  FOR EACH ROW
  WHEN (OLD.bound_certificate_sha256 IS DISTINCT FROM NEW.bound_certificate_sha256)
  EXECUTE FUNCTION certificate_binding_changed();
CREATE TRIGGER devices_certificate_bound_delete AFTER DELETE ON devices
  FOR EACH ROW WHEN (OLD.bound_certificate_sha256 IS NOT NULL)
  EXECUTE FUNCTION certificate_binding_changed();
CREATE TRIGGER certificate_bindings_bound AFTER INSERT OR DELETE ON certificate_bindings
  FOR EACH ROW EXECUTE FUNCTION certificate_binding_changed();

-- A certificate that arrives already bound (the registry named it before it was seen).
-- The fingerprint goes through a plain text variable: compared with its COLLATE "C" column value,
-- devices.bound_certificate_sha256 (default collation) could not use its index.
CREATE FUNCTION certificate_bound_on_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  fingerprint text := NEW.sha256;
BEGIN
  NEW.bound := EXISTS (SELECT 1 FROM devices d WHERE d.bound_certificate_sha256 = fingerprint)
            OR EXISTS (SELECT 1 FROM certificate_bindings b WHERE b.sha256 = fingerprint);
  RETURN NEW;
END
$$;
CREATE TRIGGER certificates_bound_on_insert BEFORE INSERT ON certificates
  FOR EACH ROW EXECUTE FUNCTION certificate_bound_on_insert();

-- The renewal workflow: no row means not_started. blocked needs its reason.
CREATE TABLE certificate_renewals (
  sha256             text COLLATE "C" PRIMARY KEY REFERENCES certificates (sha256)
    ON DELETE CASCADE,
  state              text COLLATE "C" NOT NULL
    CHECK (state IN ('not_started', 'planned', 'in_progress', 'completed', 'blocked')),
  reason             text,
  replacement_sha256 text COLLATE "C" CHECK (replacement_sha256 ~ '^[0-9a-f]{64}$'),
  updated_at         timestamptz      NOT NULL,
  CHECK (state <> 'blocked' OR reason IS NOT NULL)
);
-- Every transition, written in the same transaction as the new state.
CREATE TABLE certificate_renewal_history (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sha256     text COLLATE "C" NOT NULL REFERENCES certificates (sha256) ON DELETE CASCADE,
  from_state text COLLATE "C" NOT NULL,
  to_state   text COLLATE "C" NOT NULL,
  reason     text,
  actor      text             NOT NULL,
  at         timestamptz      NOT NULL
);
CREATE INDEX certificate_renewal_history_certificate ON certificate_renewal_history (sha256, id);

-- Listener sightings: the connect events carry the client's leaf certificate (DER) so that the
-- inventory can parse it. The collector reads new rows in (stored_at, id) order behind a horizon:
-- stored_at is the inserting transaction's start (now()), so once no transaction that started
-- before a time T is still running, the rows stored before T are all committed and can be read
-- once and for all (an id alone can commit out of order).
ALTER TABLE device_connectivity
  ADD COLUMN certificate_der bytea,
  ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX device_connectivity_id ON device_connectivity (id);
CREATE INDEX device_connectivity_certificate_stored ON device_connectivity (stored_at, id)
  WHERE certificate_der IS NOT NULL;

-- Where each collector stopped: the (stored_at, id) of the last row it handled.
CREATE TABLE certificate_collector_watermarks (
  collector  text COLLATE "C" PRIMARY KEY,
  last_at    timestamptz      NOT NULL,
  last_id    bigint           NOT NULL,
  updated_at timestamptz      NOT NULL
);

-- The last scan of each configured or requested TLS endpoint, failed ones included: an endpoint
-- that stopped answering is a finding too, not a silent gap.
CREATE TABLE certificate_endpoint_scans (
  endpoint      text COLLATE "C" PRIMARY KEY CHECK (length(endpoint) BETWEEN 3 AND 300),
  scanned_at    timestamptz      NOT NULL,
  outcome       text COLLATE "C" NOT NULL CHECK (outcome IN ('scanned', 'unknown_host',
                  'refused', 'timeout', 'handshake_failed', 'no_certificate', 'io_error')),
  message       text,
  protocol      text,
  cipher        text,
  leaf_sha256   text COLLATE "C" CHECK (leaf_sha256 ~ '^[0-9a-f]{64}$'),
  last_success_at timestamptz
);

-- Certificate enrolment (issue 6, slice A): every certificate the built-in CA issued to a device
-- from a CSR, and the one-time tokens that authorise a device's first enrolment.
-- Design and formats: docs/certificates-enrolment.md.

-- One row per issued device certificate. The DER is kept because the CA is the only party that
-- ever saw every certificate it signed: inventory, revocation and audits start from here.
CREATE TABLE certificate_issuances (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device_id          text COLLATE "C" NOT NULL CHECK (device_id ~ '^[A-Za-z0-9_-]{1,64}$'),
  -- lower-case hex without leading zeros (as openssl prints it, less the colons); one issuing CA
  -- signs every row, so the serial alone is unique
  serial_hex         text COLLATE "C" NOT NULL UNIQUE CHECK (serial_hex ~ '^[0-9a-f]{1,40}$'),
  -- lower-case hex SHA-256 of the DER, the form listeners and the fleet registry use
  certificate_sha256 text COLLATE "C" NOT NULL UNIQUE
    CHECK (certificate_sha256 ~ '^[0-9a-f]{64}$'),
  -- enroll: EST simpleenroll with a token; reenroll: EST simplereenroll with the current
  -- certificate; mqtt_renewal: a re-enrolment the gateway asked for on the command topic;
  -- operator: offline issuance (auditgate certs issue)
  method             text NOT NULL
    CHECK (method IN ('enroll', 'reenroll', 'mqtt_renewal', 'operator')),
  issued_at          timestamptz NOT NULL,
  not_before         timestamptz NOT NULL,
  not_after          timestamptz NOT NULL CHECK (not_after > not_before),
  -- re-enrolment: the certificate the device authenticated with
  previous_sha256    text COLLATE "C" CHECK (previous_sha256 ~ '^[0-9a-f]{64}$'),
  certificate_der    bytea NOT NULL
);
CREATE INDEX certificate_issuances_device ON certificate_issuances (device_id, issued_at);

-- One-time enrolment tokens. Only the SHA-256 of a token is kept (it is 32 random bytes, so a fast
-- hash suffices, as for api_tokens); the token is shown once when created. A token is consumed in
-- the same transaction that records the certificate it paid for: used_at and issuance_id are set
-- together or not at all, so a token can never be spent without a certificate, nor twice.
CREATE TABLE enrolment_tokens (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token_sha256 bytea       NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
  device_id    text COLLATE "C" NOT NULL CHECK (device_id ~ '^[A-Za-z0-9_-]{1,64}$'),
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL CHECK (expires_at > created_at),
  used_at      timestamptz,
  issuance_id  bigint UNIQUE REFERENCES certificate_issuances (id),
  CHECK ((used_at IS NULL) = (issuance_id IS NULL))
);
CREATE INDEX enrolment_tokens_device ON enrolment_tokens (device_id);

-- Certificate revocation (issue 6, docs/certificates-revocation.md): what the control plane has
-- revoked, and the CRL it publishes from that. The gateway never reads these tables at a handshake:
-- it checks a snapshot of the published CRL fetched in the background.

-- One row per revoked certificate, keyed as X.509 keys it: issuer name + serial. The revocation is
-- permanent (no removeFromCRL), so a second revoke finds the row and keeps its first time and reason.
CREATE TABLE certificate_revocations (
  -- the issuer's distinguished name, RFC 2253 form as the JDK prints it
  issuer             text COLLATE "C" NOT NULL CHECK (length(issuer) BETWEEN 1 AND 1000),
  -- the serial number, lower-case hex without leading zeros (at most 20 octets, RFC 5280)
  serial_hex         text COLLATE "C" NOT NULL CHECK (serial_hex ~ '^[1-9a-f][0-9a-f]{0,39}$'),
  -- lower-case hex SHA-256 of the certificate's DER, when the certificate itself was known
  certificate_sha256 text COLLATE "C" CHECK (certificate_sha256 ~ '^[0-9a-f]{64}$'),
  -- RFC 5280 CRLReason name (removeFromCRL excluded: auditgate publishes no delta CRLs)
  reason             text COLLATE "C" NOT NULL CHECK (reason IN ('unspecified', 'keyCompromise',
                       'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation',
                       'certificateHold', 'privilegeWithdrawn', 'aACompromise')),
  revoked_at         timestamptz NOT NULL,
  -- who asked (token name, CLI user) and why, free text for the audit trail
  revoked_by         text NOT NULL CHECK (length(revoked_by) BETWEEN 1 AND 200),
  comment            text CHECK (length(comment) <= 2000),
  PRIMARY KEY (issuer, serial_hex)
);
-- The listeners and the inventory identify certificates by fingerprint.
CREATE UNIQUE INDEX certificate_revocations_sha256 ON certificate_revocations (certificate_sha256)
  WHERE certificate_sha256 IS NOT NULL;

-- The CRL currently published for each issuer. Only the latest is kept: a superseded CRL is of no
-- use to a relying party, and with 100,000 entries each one is megabytes. crl_number only grows
-- (RFC 5280 §5.2.3), which the CHECK cannot enforce; the writer takes the row lock to do it.
CREATE TABLE published_crls (
  issuer      text COLLATE "C" PRIMARY KEY CHECK (length(issuer) BETWEEN 1 AND 1000),
  crl_number  numeric(50, 0) NOT NULL CHECK (crl_number >= 0),
  der         bytea NOT NULL CHECK (length(der) > 0),
  this_update timestamptz NOT NULL,
  next_update timestamptz NOT NULL CHECK (next_update > this_update),
  entries     integer NOT NULL CHECK (entries >= 0)
);

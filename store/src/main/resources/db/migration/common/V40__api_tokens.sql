-- API tokens for the control plane's HTTPS API, dashboard and /metrics. Only the SHA-256 of a token
-- is kept: a token is 32 random bytes (256 bits), so a fast hash is enough to make a leaked table
-- useless (no dictionary to try, unlike passwords), and lets a request be authenticated by one
-- indexed lookup. The token itself is shown once, when it is created, and never stored.
CREATE TABLE api_tokens (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- SHA-256 of the whole token string (prefix included), 32 bytes
  token_sha256 bytea       NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
  -- read, write, metrics (admin is reserved for the certificate authority's operations)
  scopes       text[]      NOT NULL CHECK (cardinality(scopes) > 0
                 AND scopes <@ ARRAY['read', 'write', 'metrics', 'admin']::text[]),
  created_at   timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at   timestamptz
);

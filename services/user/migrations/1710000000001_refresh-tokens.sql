-- Up Migration
-- Refresh tokens rotate: each use marks the token used and issues the next one in the same family.
-- Presenting a used token again means it leaked, and revokes the whole family (the login).
CREATE TABLE refresh_tokens (
  id          UUID        PRIMARY KEY,
  family_id   UUID        NOT NULL,
  user_id     BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash  BYTEA       NOT NULL UNIQUE,
  expires_at  TIMESTAMPTZ NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  used_at     TIMESTAMPTZ,
  revoked_at  TIMESTAMPTZ
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- Down Migration
DROP TABLE refresh_tokens;

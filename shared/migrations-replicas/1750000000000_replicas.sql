-- Up Migration
-- The tables of the shared replicas (shared/src/replicas), in every service database that copies
-- accounts, blocks or mutes from the services that own them. Applied after the service's own
-- migrations; services that predate this module created the same tables there, hence IF NOT EXISTS.
CREATE TABLE IF NOT EXISTS users (
  id           BIGINT      PRIMARY KEY,
  username     TEXT        NOT NULL,
  display_name TEXT        NOT NULL,
  -- The version of the row: an event older than this never overwrites it.
  updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS users_username_idx ON users (lower(username));

CREATE TABLE IF NOT EXISTS blocks (
  blocker_id BIGINT NOT NULL,
  blocked_id BIGINT NOT NULL,
  PRIMARY KEY (blocker_id, blocked_id)
);
-- Who blocked a reader, for every read that hides them.
CREATE INDEX IF NOT EXISTS blocks_blocked ON blocks (blocked_id);

CREATE TABLE IF NOT EXISTS mutes (
  muter_id BIGINT NOT NULL,
  muted_id BIGINT NOT NULL,
  PRIMARY KEY (muter_id, muted_id)
);

-- Down Migration
-- The tables may hold the service's own rows from before this migration: left in place.

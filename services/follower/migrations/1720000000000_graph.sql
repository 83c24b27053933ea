-- Up Migration
-- A replica of the accounts, fed by the user events (and by a lookup at the user service when an id
-- is not here yet): which users exist, and what the lists show of them.
CREATE TABLE users (
  id           BIGINT      PRIMARY KEY,
  username     TEXT        NOT NULL,
  display_name TEXT        NOT NULL,
  -- The version of the row: an event older than this never overwrites it.
  updated_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE follows (
  follower_id BIGINT      NOT NULL REFERENCES users (id),
  followee_id BIGINT      NOT NULL REFERENCES users (id),
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (follower_id, followee_id),
  CHECK (follower_id <> followee_id)
);
-- The lists, newest first, paged on (created_at, the other user's id): followers of a user, and
-- whom a user follows (the primary key has the right prefix but not the order).
CREATE INDEX follows_followers_idx ON follows (followee_id, created_at DESC, follower_id DESC);
CREATE INDEX follows_following_idx ON follows (follower_id, created_at DESC, followee_id DESC);

CREATE TABLE blocks (
  blocker_id BIGINT      NOT NULL REFERENCES users (id),
  blocked_id BIGINT      NOT NULL REFERENCES users (id),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (blocker_id, blocked_id),
  CHECK (blocker_id <> blocked_id)
);
CREATE INDEX blocks_list_idx ON blocks (blocker_id, created_at DESC, blocked_id DESC);

CREATE TABLE mutes (
  muter_id   BIGINT      NOT NULL REFERENCES users (id),
  muted_id   BIGINT      NOT NULL REFERENCES users (id),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (muter_id, muted_id),
  CHECK (muter_id <> muted_id)
);
CREATE INDEX mutes_list_idx ON mutes (muter_id, created_at DESC, muted_id DESC);

-- Down Migration
DROP TABLE mutes;
DROP TABLE blocks;
DROP TABLE follows;
DROP TABLE users;

-- Up Migration
-- A replica of the accounts, fed by the user events (and by a lookup at the user service when an id
-- or a mentioned name is not here yet): authors shown on tweets, and the names mentions resolve to.
CREATE TABLE users (
  id           BIGINT      PRIMARY KEY,
  username     TEXT        NOT NULL,
  display_name TEXT        NOT NULL,
  -- The version of the row: an event older than this never overwrites it.
  updated_at   TIMESTAMPTZ NOT NULL
);
-- Mentions resolve ignoring case. Not unique: the user service owns that rule, the replica only copies.
CREATE INDEX users_username_idx ON users (lower(username));

CREATE TABLE tweets (
  id              BIGINT      PRIMARY KEY,
  author_id       BIGINT      NOT NULL REFERENCES users (id),
  text            TEXT        NOT NULL,
  -- The first tweet of the thread (the tweet itself when it replies to nothing).
  conversation_id BIGINT      NOT NULL,
  reply_to_id     BIGINT      REFERENCES tweets (id),
  quote_of_id     BIGINT      REFERENCES tweets (id),
  -- As resolved when posted: [{user_id, username}], the same the tweet.created event carried.
  mentions        JSONB       NOT NULL DEFAULT '[]',
  hashtags        TEXT[]      NOT NULL DEFAULT '{}',
  like_count      INTEGER     NOT NULL DEFAULT 0 CHECK (like_count >= 0),
  retweet_count   INTEGER     NOT NULL DEFAULT 0 CHECK (retweet_count >= 0),
  reply_count     INTEGER     NOT NULL DEFAULT 0 CHECK (reply_count >= 0),
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- Soft delete: the row stays so that replies, likes and idempotency keys keep their target.
  deleted_at      TIMESTAMPTZ
);
-- The lists, paged on the (time-ordered) id: an author's tweets newest first, a tweet's replies oldest first.
CREATE INDEX tweets_author_idx ON tweets (author_id, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX tweets_replies_idx ON tweets (reply_to_id, id) WHERE deleted_at IS NULL;

CREATE TABLE likes (
  tweet_id   BIGINT      NOT NULL REFERENCES tweets (id),
  user_id    BIGINT      NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (tweet_id, user_id)
);

CREATE TABLE retweets (
  -- Newer than the tweet it shares, so timelines can order the retweet by it.
  id         BIGINT      PRIMARY KEY DEFAULT starling_next_id(),
  tweet_id   BIGINT      NOT NULL REFERENCES tweets (id),
  user_id    BIGINT      NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (tweet_id, user_id)
);

-- Idempotency-Key of POST /tweets/, per user. The key is claimed before the tweet is inserted (in
-- the same transaction), so a concurrent request with the same key waits on it and then finds it;
-- hence the deferred foreign key.
CREATE TABLE idempotency_keys (
  user_id      BIGINT      NOT NULL,
  key          TEXT        NOT NULL,
  request_hash TEXT        NOT NULL,
  tweet_id     BIGINT      NOT NULL REFERENCES tweets (id) DEFERRABLE INITIALLY DEFERRED,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);

-- Down Migration
DROP TABLE idempotency_keys;
DROP TABLE retweets;
DROP TABLE likes;
DROP TABLE tweets;
DROP TABLE users;

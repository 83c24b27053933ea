-- Up Migration
-- The timeline service's durable projection of the event stream. Redis holds the home timelines
-- and per-author recent entries; when Redis loses them they are rebuilt from these tables.
CREATE TABLE users (
  id           BIGINT      PRIMARY KEY,
  username     TEXT        NOT NULL,
  display_name TEXT        NOT NULL,
  version      TIMESTAMPTZ NOT NULL
);

CREATE TABLE follows (
  follower_id BIGINT NOT NULL,
  followee_id BIGINT NOT NULL,
  PRIMARY KEY (follower_id, followee_id)
);
CREATE INDEX follows_followee ON follows (followee_id);

-- Kept in the same transaction as follows, so "is this author a celebrity" is one row read.
CREATE TABLE follower_counts (
  user_id BIGINT  PRIMARY KEY,
  n       INTEGER NOT NULL
);

CREATE TABLE blocks (blocker_id BIGINT NOT NULL, blocked_id BIGINT NOT NULL, PRIMARY KEY (blocker_id, blocked_id));
CREATE TABLE mutes (muter_id BIGINT NOT NULL, muted_id BIGINT NOT NULL, PRIMARY KEY (muter_id, muted_id));

CREATE TABLE tweets (
  id              BIGINT      PRIMARY KEY,
  author_id       BIGINT      NOT NULL,
  text            TEXT        NOT NULL,
  conversation_id BIGINT      NOT NULL,
  reply_to_id     BIGINT,
  quote_of_id     BIGINT,
  mentions        JSONB       NOT NULL,
  hashtags        TEXT[]      NOT NULL,
  like_count      INTEGER     NOT NULL DEFAULT 0,
  retweet_count   INTEGER     NOT NULL DEFAULT 0,
  reply_count     INTEGER     NOT NULL DEFAULT 0,
  created_at      TIMESTAMPTZ NOT NULL,
  deleted_at      TIMESTAMPTZ
);
CREATE INDEX tweets_author ON tweets (author_id, id DESC) WHERE deleted_at IS NULL;

CREATE TABLE retweets (
  id         BIGINT      PRIMARY KEY,
  tweet_id   BIGINT      NOT NULL,
  user_id    BIGINT      NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX retweets_user ON retweets (user_id, id DESC);

-- Down Migration
DROP TABLE retweets;
DROP TABLE tweets;
DROP TABLE mutes;
DROP TABLE blocks;
DROP TABLE follower_counts;
DROP TABLE follows;
DROP TABLE users;

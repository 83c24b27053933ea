-- Up Migration
-- A replica of the accounts (shared/src/replicas): the actors shown on notifications.
CREATE TABLE users (
  id           BIGINT      PRIMARY KEY,
  username     TEXT        NOT NULL,
  display_name TEXT        NOT NULL,
  -- The version of the row: an event older than this never overwrites it.
  updated_at   TIMESTAMPTZ NOT NULL
);

-- Copies of the graph's blocks and mutes: nobody is notified about someone they blocked or muted,
-- or who blocked them.
CREATE TABLE blocks (
  blocker_id BIGINT NOT NULL,
  blocked_id BIGINT NOT NULL,
  PRIMARY KEY (blocker_id, blocked_id)
);
CREATE TABLE mutes (
  muter_id BIGINT NOT NULL,
  muted_id BIGINT NOT NULL,
  PRIMARY KEY (muter_id, muted_id)
);

-- Tweets deleted so far. Likes and retweets travel on another topic than the deletion, so one of
-- them can arrive after it: this keeps them from making a notification about a tweet that is gone.
CREATE TABLE deleted_tweets (
  tweet_id   BIGINT      PRIMARY KEY,
  deleted_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE notifications (
  id              BIGINT      PRIMARY KEY DEFAULT starling_next_id(),
  recipient_id    BIGINT      NOT NULL,
  type            TEXT        NOT NULL CHECK (type IN ('follow', 'like', 'retweet', 'reply', 'mention', 'message')),
  actor_id        BIGINT      NOT NULL,
  -- The liked or retweeted tweet; the reply or the mentioning tweet itself.
  tweet_id        BIGINT,
  conversation_id BIGINT,
  -- The event that caused it: a redelivered event finds its notifications already there.
  source_event_id UUID        NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL,
  read            BOOLEAN     NOT NULL DEFAULT false,
  UNIQUE (recipient_id, source_event_id, type),
  CHECK (recipient_id <> actor_id)
);
-- The inbox, newest first; the unread ones; and what a deleted tweet takes with it.
CREATE INDEX notifications_inbox_idx ON notifications (recipient_id, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (recipient_id, id) WHERE NOT read;
CREATE INDEX notifications_tweet_idx ON notifications (tweet_id) WHERE tweet_id IS NOT NULL;

-- Frames to push to users' sockets, written in the transaction that made them and deleted once in
-- Redis: a crash between the commit and the push leaves them here for the redelivered event.
CREATE TABLE live_pushes (
  seq      BIGSERIAL PRIMARY KEY,
  event_id UUID      NOT NULL,
  user_id  BIGINT    NOT NULL,
  kind     TEXT      NOT NULL CHECK (kind IN ('notification', 'message')),
  -- The frame's data as sent (json keeps the text as written).
  data     JSON      NOT NULL
);
CREATE INDEX live_pushes_event_idx ON live_pushes (event_id);

-- Down Migration
DROP TABLE live_pushes;
DROP TABLE notifications;
DROP TABLE deleted_tweets;
DROP TABLE mutes;
DROP TABLE blocks;
DROP TABLE users;

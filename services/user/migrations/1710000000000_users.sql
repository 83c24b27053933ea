-- Up Migration
CREATE TABLE users (
  id              BIGINT      PRIMARY KEY DEFAULT starling_next_id(),
  username        TEXT        NOT NULL CHECK (username ~ '^[A-Za-z0-9_]{3,30}$'),
  email           TEXT        NOT NULL,
  password_hash   TEXT        NOT NULL,
  display_name    TEXT        NOT NULL,
  bio             TEXT        NOT NULL DEFAULT '',
  followers_count INTEGER     NOT NULL DEFAULT 0,
  following_count INTEGER     NOT NULL DEFAULT 0,
  tweets_count    INTEGER     NOT NULL DEFAULT 0,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- Usernames and emails are unique ignoring case.
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Down Migration
DROP TABLE users;

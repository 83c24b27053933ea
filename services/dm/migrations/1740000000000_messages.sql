-- Up Migration
-- A replica of the accounts (shared/src/users/user-replica.ts): who exists, and what conversations
-- show of the other person.
CREATE TABLE users (
  id           BIGINT      PRIMARY KEY,
  username     TEXT        NOT NULL,
  display_name TEXT        NOT NULL,
  -- The version of the row: an event older than this never overwrites it.
  updated_at   TIMESTAMPTZ NOT NULL
);

-- A copy of the graph's blocks: nobody can message someone who blocked them or whom they blocked.
CREATE TABLE blocks (
  blocker_id BIGINT NOT NULL,
  blocked_id BIGINT NOT NULL,
  PRIMARY KEY (blocker_id, blocked_id)
);

-- One conversation per pair of people, whoever wrote first: the pair is stored smaller id first.
CREATE TABLE conversations (
  id              BIGINT      PRIMARY KEY DEFAULT starling_next_id(),
  user_low        BIGINT      NOT NULL REFERENCES users (id),
  user_high       BIGINT      NOT NULL REFERENCES users (id),
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (user_low, user_high),
  CHECK (user_low < user_high)
);

CREATE TABLE messages (
  id              BIGINT      PRIMARY KEY,
  conversation_id BIGINT      NOT NULL REFERENCES conversations (id),
  sender_id       BIGINT      NOT NULL,
  recipient_id    BIGINT      NOT NULL,
  text            TEXT        NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- A conversation's history, newest first.
CREATE INDEX messages_conversation_idx ON messages (conversation_id, id DESC);

-- Each person's side of a conversation: where it sits in their list (its last message, which
-- orders the list by activity) and how many messages they have not read.
CREATE TABLE participants (
  user_id         BIGINT  NOT NULL,
  conversation_id BIGINT  NOT NULL REFERENCES conversations (id),
  other_id        BIGINT  NOT NULL,
  last_message_id BIGINT  NOT NULL,
  unread_count    INTEGER NOT NULL DEFAULT 0 CHECK (unread_count >= 0),
  PRIMARY KEY (user_id, conversation_id)
);
CREATE INDEX participants_list_idx ON participants (user_id, last_message_id DESC);

-- Idempotency-Key of POST /messages/, per sender. Claimed before the message is inserted (in the
-- same transaction), so a concurrent request with the same key waits on it; hence the deferred key.
CREATE TABLE idempotency_keys (
  user_id      BIGINT      NOT NULL,
  key          TEXT        NOT NULL,
  request_hash TEXT        NOT NULL,
  message_id   BIGINT      NOT NULL REFERENCES messages (id) DEFERRABLE INITIALLY DEFERRED,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);

-- Down Migration
DROP TABLE idempotency_keys;
DROP TABLE participants;
DROP TABLE messages;
DROP TABLE conversations;
DROP TABLE blocks;
DROP TABLE users;

-- Up Migration
-- A copy of the graph's follows, kept from follow.created / follow.deleted: whose sockets hear of
-- a new tweet. It starts empty: follows made before it are not in it (their events were claimed
-- already, so replaying them changes nothing) and need a backfill from the follower service.
CREATE TABLE follows (
  follower_id BIGINT NOT NULL,
  followee_id BIGINT NOT NULL,
  PRIMARY KEY (follower_id, followee_id)
);
-- An author's followers, for each tweet pushed live.
CREATE INDEX follows_followee_idx ON follows (followee_id);

-- Who was sent each tweet live, so that its deletion reaches every one of them (also those who
-- have gone offline since: it waits in their replay streams).
CREATE TABLE live_tweets (
  tweet_id      BIGINT      PRIMARY KEY,
  recipient_ids BIGINT[]    NOT NULL,
  pushed_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

ALTER TABLE live_pushes DROP CONSTRAINT live_pushes_kind_check;
ALTER TABLE live_pushes ADD CONSTRAINT live_pushes_kind_check CHECK (kind IN ('notification', 'message', 'tweet', 'tweet_deleted'));

-- Down Migration
DELETE FROM live_pushes WHERE kind IN ('tweet', 'tweet_deleted');
ALTER TABLE live_pushes DROP CONSTRAINT live_pushes_kind_check;
ALTER TABLE live_pushes ADD CONSTRAINT live_pushes_kind_check CHECK (kind IN ('notification', 'message'));
DROP TABLE live_tweets;
DROP TABLE follows;

-- Up Migration
-- Where each picture is used (the tweet it went on, the account it is the avatar of), and when it
-- was deleted: with its tweet, or as an upload nobody used within a day (MEDIA_ORPHAN_SECONDS).
ALTER TABLE media
  ADD COLUMN tweet_id   BIGINT,
  ADD COLUMN avatar_of  BIGINT,
  ADD COLUMN deleted_at TIMESTAMPTZ;
CREATE INDEX media_tweet_idx ON media (tweet_id) WHERE tweet_id IS NOT NULL;
-- The sweep's scan: unused uploads, oldest first.
CREATE INDEX media_unused_idx ON media (created_at) WHERE tweet_id IS NULL AND avatar_of IS NULL AND deleted_at IS NULL;

-- Down Migration
DROP INDEX media_unused_idx;
DROP INDEX media_tweet_idx;
ALTER TABLE media DROP COLUMN deleted_at, DROP COLUMN avatar_of, DROP COLUMN tweet_id;

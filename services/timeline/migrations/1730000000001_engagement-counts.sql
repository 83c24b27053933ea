-- Up Migration
-- Like and retweet counts live apart from the tweets: engagement events arrive on their own topic
-- and may come before the tweet is projected, and must never wait for it (that starved the
-- consumer once: waiting partitions filled every slot while the tweets topic sat unread).
CREATE TABLE engagement_counts (
  tweet_id      BIGINT  PRIMARY KEY,
  like_count    INTEGER NOT NULL DEFAULT 0,
  retweet_count INTEGER NOT NULL DEFAULT 0
);
INSERT INTO engagement_counts (tweet_id, like_count, retweet_count)
  SELECT id, like_count, retweet_count FROM tweets WHERE like_count > 0 OR retweet_count > 0;
ALTER TABLE tweets DROP COLUMN like_count, DROP COLUMN retweet_count;

-- Down Migration
ALTER TABLE tweets ADD COLUMN like_count INTEGER NOT NULL DEFAULT 0, ADD COLUMN retweet_count INTEGER NOT NULL DEFAULT 0;
UPDATE tweets t SET like_count = c.like_count, retweet_count = c.retweet_count FROM engagement_counts c WHERE c.tweet_id = t.id;
DROP TABLE engagement_counts;

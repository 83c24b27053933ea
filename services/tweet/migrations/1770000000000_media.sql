-- Up Migration
-- Pictures on tweets. Each tweet keeps a copy of its pictures as the media service processed them
-- ([{id, url, preview_url, width, height, alt_text}], the same tweet.created v2 carries).
ALTER TABLE tweets ADD COLUMN media JSONB NOT NULL DEFAULT '[]';

-- A replica of the uploads, fed by the media events: whose each is, whether it is ready, and the
-- tweet it went on. A picture goes on one tweet only, so that deleting the tweet can delete it.
CREATE TABLE media (
  id         BIGINT PRIMARY KEY,
  owner_id   BIGINT NOT NULL,
  state      TEXT   NOT NULL CHECK (state IN ('pending', 'ready', 'rejected')),
  -- As a tweet shows it, once ready.
  attachment JSONB,
  tweet_id   BIGINT REFERENCES tweets (id) DEFERRABLE INITIALLY DEFERRED
);

-- Down Migration
DROP TABLE media;
ALTER TABLE tweets DROP COLUMN media;

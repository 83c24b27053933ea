-- Up Migration
-- The pictures of each tweet, as tweet.created v2 carries them ([] for v1 and for tweets without).
ALTER TABLE tweets ADD COLUMN media JSONB NOT NULL DEFAULT '[]';

-- Down Migration
ALTER TABLE tweets DROP COLUMN media;

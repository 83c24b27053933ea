-- Up Migration
-- The profile picture: the upload it is and its preview's URL (both null for none).
ALTER TABLE users ADD COLUMN avatar_media_id BIGINT, ADD COLUMN avatar_url TEXT;

-- A copy of the uploads, fed by the media events (shared/src/replicas/media-replica.ts): whose
-- each is and whether it is ready, for the picture a profile takes.
CREATE TABLE media (
  id         BIGINT PRIMARY KEY,
  owner_id   BIGINT NOT NULL,
  state      TEXT   NOT NULL CHECK (state IN ('pending', 'ready', 'rejected')),
  attachment JSONB
);

-- Down Migration
DROP TABLE media;
ALTER TABLE users DROP COLUMN avatar_url, DROP COLUMN avatar_media_id;

-- Up Migration
-- The profile picture (its preview's URL), from user.updated v2; null for none.
ALTER TABLE users ADD COLUMN IF NOT EXISTS avatar_url TEXT;

-- Down Migration
ALTER TABLE users DROP COLUMN avatar_url;

-- Up Migration
-- The users table is the shared replica's (shared/src/replicas), which versions a row by updated_at.
ALTER TABLE users RENAME COLUMN version TO updated_at;

-- Down Migration
ALTER TABLE users RENAME COLUMN updated_at TO version;

-- Up Migration
-- Pictures: one row per upload, from the policy handed out to the processed files (or the reason
-- they were refused). The files live in the object store under uploads/<id> (as sent, private)
-- and media/<id>/{original,preview}.webp (checked, normalized, public).
CREATE TABLE media (
  id           BIGINT      PRIMARY KEY DEFAULT starling_next_id(),
  owner_id     BIGINT      NOT NULL,
  content_type TEXT        NOT NULL,
  size         INTEGER     NOT NULL CHECK (size > 0),
  alt_text     TEXT        NOT NULL DEFAULT '',
  state        TEXT        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'ready', 'rejected')),
  reason       TEXT,
  width        INTEGER,
  height       INTEGER,
  placeholder  TEXT,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- When the owner said the file was sent and the store confirmed it (media.uploaded written once).
  uploaded_at  TIMESTAMPTZ,
  processed_at TIMESTAMPTZ
);
CREATE INDEX media_owner_idx ON media (owner_id, id DESC);

-- Down Migration
DROP TABLE media;

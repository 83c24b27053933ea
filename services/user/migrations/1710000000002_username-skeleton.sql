-- Up Migration
-- Look-alike usernames: two names whose skeletons match read the same, so only the first is taken.
-- The skeleton follows Unicode TR39's confusables for the characters a username may have, after
-- ignoring case (a username is unique ignoring case, but is shown as it was registered):
-- 0 reads as o; 1 and I (i once case is ignored) read as l; rn reads as m; vv reads as w.
CREATE FUNCTION username_skeleton(username TEXT) RETURNS TEXT
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN replace(replace(translate(lower(username), '01i', 'oll'), 'rn', 'm'), 'vv', 'w');

ALTER TABLE users ADD COLUMN username_skeleton TEXT GENERATED ALWAYS AS (username_skeleton(username)) STORED;
-- Accounts that already shared a skeleton when this came in keep their names; the earliest of each
-- holds the skeleton, and no new account may take it.
ALTER TABLE users ADD COLUMN lookalike_of_earlier BOOLEAN NOT NULL DEFAULT false;
UPDATE users u SET lookalike_of_earlier = true
  WHERE EXISTS (SELECT 1 FROM users e WHERE e.username_skeleton = u.username_skeleton AND e.id < u.id);
CREATE UNIQUE INDEX users_username_skeleton_key ON users (username_skeleton) WHERE NOT lookalike_of_earlier;

-- Down Migration
DROP INDEX users_username_skeleton_key;
ALTER TABLE users DROP COLUMN lookalike_of_earlier;
ALTER TABLE users DROP COLUMN username_skeleton;
DROP FUNCTION username_skeleton(TEXT);

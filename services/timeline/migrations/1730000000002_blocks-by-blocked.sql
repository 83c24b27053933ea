-- Up Migration
-- Every timeline read looks up who blocked its reader; without this that was a scan of all blocks.
CREATE INDEX blocks_blocked ON blocks (blocked_id);

-- Down Migration
DROP INDEX blocks_blocked;

-- Up Migration
-- Time-ordered 64-bit ids: milliseconds since 2024-01-01 in the high 42 bits, a sequence in the low 22.
-- Sortable by creation time, unique within the database, and handed to clients as strings.
CREATE SEQUENCE IF NOT EXISTS starling_id_seq;
CREATE OR REPLACE FUNCTION starling_next_id() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  epoch_ms CONSTANT bigint := 1704067200000;
  now_ms bigint := floor(extract(epoch FROM clock_timestamp()) * 1000);
BEGIN
  RETURN ((now_ms - epoch_ms) << 22) | (nextval('starling_id_seq') % 4194304);
END $$;

-- Down Migration
DROP FUNCTION IF EXISTS starling_next_id();
DROP SEQUENCE IF EXISTS starling_id_seq;

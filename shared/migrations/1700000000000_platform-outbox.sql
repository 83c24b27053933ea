-- Up Migration
-- Events written in the same transaction as the change they describe; the relay publishes and deletes them.
CREATE TABLE IF NOT EXISTS outbox (
  seq        BIGSERIAL PRIMARY KEY,
  topic      TEXT        NOT NULL,
  key        TEXT        NOT NULL,
  event      JSONB       NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Event ids a consumer has applied, so redelivery changes nothing (see markProcessed).
CREATE TABLE IF NOT EXISTS processed_events (
  consumer     TEXT        NOT NULL,
  event_id     UUID        NOT NULL,
  processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

-- Down Migration
DROP TABLE IF EXISTS processed_events;
DROP TABLE IF EXISTS outbox;

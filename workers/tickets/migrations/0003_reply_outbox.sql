-- Transactional outbox: every event is written in the same transaction as the change it reports,
-- then sent to its Queue after the commit. A row stays until it is known to be sent, so an event
-- survives a failed send or an isolate that dies between the commit and the send.
CREATE TABLE outbox (
  id            TEXT PRIMARY KEY,              -- the event id; a re-sent event keeps it, consumers dedupe on it
  type          TEXT NOT NULL,                 -- e.g. 'reply.created'
  payload       TEXT NOT NULL,                 -- the event as JSON, exactly as sent
  created_at    INTEGER NOT NULL,              -- epoch milliseconds, taken just before the commit
  claimed_until INTEGER,                       -- epoch ms: a sender holds the row until then; NULL = free
  sent_at       INTEGER                        -- epoch ms; NULL until the Queue accepted the event
);
-- The re-drive's scan: unsent rows, oldest first.
CREATE INDEX outbox_unsent ON outbox (created_at) WHERE sent_at IS NULL;
-- Pruning sent rows after the retention period.
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;

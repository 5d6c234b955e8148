-- Tickets and their replies: the database both tickets versions share.
CREATE TABLE tickets (
  id            TEXT PRIMARY KEY,              -- 24 hex digits, like the original's Mongo ObjectIds
  title         TEXT NOT NULL,
  description   TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL DEFAULT 'Open',
  assigned_to   TEXT NOT NULL DEFAULT '',
  user_initials TEXT NOT NULL DEFAULT '',
  created_at    TEXT NOT NULL                  -- ISO 8601, UTC, millisecond precision
);
-- GET /tickets pages newest first with a (created_at, id) cursor.
CREATE INDEX tickets_newest_first ON tickets (created_at DESC, id DESC);

CREATE TABLE replies (
  id         TEXT PRIMARY KEY,
  ticket_id  TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  user       TEXT NOT NULL,
  message    TEXT NOT NULL,
  created_at TEXT NOT NULL
);
-- A ticket's replies, oldest first.
CREATE INDEX replies_by_ticket ON replies (ticket_id, created_at, id);
-- GET /replies: the latest replies across all tickets.
CREATE INDEX replies_newest_first ON replies (created_at DESC, id DESC);

-- Results of POSTs sent with an Idempotency-Key, so a retry returns the first result and writes nothing.
CREATE TABLE idempotency_keys (
  key         TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,                   -- method, path and body hash of the first request
  status      INTEGER NOT NULL,
  body        TEXT NOT NULL,
  created_at  INTEGER NOT NULL                 -- epoch milliseconds; rows expire after the retention period
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

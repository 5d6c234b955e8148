-- The change log: every write to tickets or replies, in commit order, for the search pump (the
-- data-pump model: it reads GET /changes after its checkpoint and applies each page elsewhere).
-- Triggers append to it, so a change is logged in the same transaction as the write, whoever
-- writes (either tickets version, the seed, a test), at no extra round trip: a write that rolls
-- back (a reply's foreign key, an idempotent replay losing on its key) rolls back its entry too.
CREATE TABLE change_log (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,  -- the order of changes; AUTOINCREMENT: never reused, even after the
                                                 -- last rows are deleted, so a reader's checkpoint stays meaningful.
                                                 -- A rolled-back write takes its seq back: no gaps in practice
                                                 -- (D1 has one writer, so the order of seqs is the commit order)
  entity     TEXT NOT NULL CHECK (entity IN ('ticket', 'reply')),
  op         TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),  -- upsert: `data` is the whole row as it now is
  entity_id  TEXT NOT NULL,                      -- the ticket's or the reply's id
  ticket_id  TEXT NOT NULL,                      -- the ticket the entity is or belongs to
  data       TEXT,                               -- JSON of the row's public fields, under the API's names
                                                 -- (store/rows.ts); NULL for a delete. Never reply_count: it is
                                                 -- derived, and logging it would log every reply twice
  at         INTEGER NOT NULL                    -- epoch ms of the write, from D1's clock (for the reader's lag)
);

-- Once, for the rows already stored: a database migrated with data gets a complete log from seq 1,
-- so a reader starting at 0 sees every ticket, then every reply (after its ticket), oldest first.
-- `at` is the time of this migration, when the rows entered the log, not when they were written.
INSERT INTO change_log (entity, op, entity_id, ticket_id, data, at)
SELECT 'ticket', 'upsert', id, id,
       json_object('title', title, 'description', description, 'status', status, 'assignedTo', assigned_to,
                   'userInitials', user_initials, 'createdAt', created_at),
       CAST(round(unixepoch('subsec') * 1000) AS INTEGER)
FROM tickets ORDER BY created_at, id;

INSERT INTO change_log (entity, op, entity_id, ticket_id, data, at)
SELECT 'reply', 'upsert', id, ticket_id,
       json_object('user', user, 'message', message, 'createdAt', created_at),
       CAST(round(unixepoch('subsec') * 1000) AS INTEGER)
FROM replies ORDER BY created_at, id;

-- Tickets. An UPDATE logs only when a public column is set (not reply_count, which
-- replies_count_on_insert/_on_delete of 0004 set on every reply) and actually changes.
CREATE TRIGGER change_log_ticket_insert AFTER INSERT ON tickets
BEGIN
  INSERT INTO change_log (entity, op, entity_id, ticket_id, data, at)
  VALUES ('ticket', 'upsert', NEW.id, NEW.id,
          json_object('title', NEW.title, 'description', NEW.description, 'status', NEW.status,
                      'assignedTo', NEW.assigned_to, 'userInitials', NEW.user_initials, 'createdAt', NEW.created_at),
          CAST(round(unixepoch('subsec') * 1000) AS INTEGER));
END;

CREATE TRIGGER change_log_ticket_update
AFTER UPDATE OF id, title, description, status, assigned_to, user_initials, created_at ON tickets
WHEN OLD.id IS NOT NEW.id OR OLD.title IS NOT NEW.title OR OLD.description IS NOT NEW.description
  OR OLD.status IS NOT NEW.status OR OLD.assigned_to IS NOT NEW.assigned_to
  OR OLD.user_initials IS NOT NEW.user_initials OR OLD.created_at IS NOT NEW.created_at
BEGIN
  -- A changed id is the old ticket gone and a new one there (a reader keys on the id).
  INSERT INTO change_log (entity, op, entity_id, ticket_id, data, at)
  SELECT 'ticket', 'delete', OLD.id, OLD.id, NULL, CAST(round(unixepoch('subsec') * 1000) AS INTEGER)
  WHERE OLD.id IS NOT NEW.id;
  INSERT INTO change_log (entity, op, entity_id, ticket_id, data, at)
  VALUES ('ticket', 'upsert', NEW.id, NEW.id,
          json_object('title', NEW.title, 'description', NEW.description, 'status', NEW.status,
                      'assignedTo', NEW.assigned_to, 'userInitials', NEW.user_initials, 'createdAt', NEW.created_at),
          CAST(round(unixepoch('subsec') * 1000) AS INTEGER));
END;

-- A ticket's delete cascades to its replies (0001), which log their own deletes.
CREATE TRIGGER change_log_ticket_delete AFTER DELETE ON tickets
BEGIN
  INSERT INTO change_log (entity, op, entity_id, ticket_id, data, at)
  VALUES ('ticket', 'delete', OLD.id, OLD.id, NULL, CAST(round(unixepoch('subsec') * 1000) AS INTEGER));
END;

-- Replies, the same way.
CREATE TRIGGER change_log_reply_insert AFTER INSERT ON replies
BEGIN
  INSERT INTO change_log (entity, op, entity_id, ticket_id, data, at)
  VALUES ('reply', 'upsert', NEW.id, NEW.ticket_id,
          json_object('user', NEW.user, 'message', NEW.message, 'createdAt', NEW.created_at),
          CAST(round(unixepoch('subsec') * 1000) AS INTEGER));
END;

CREATE TRIGGER change_log_reply_update AFTER UPDATE OF id, ticket_id, user, message, created_at ON replies
WHEN OLD.id IS NOT NEW.id OR OLD.ticket_id IS NOT NEW.ticket_id OR OLD.user IS NOT NEW.user
  OR OLD.message IS NOT NEW.message OR OLD.created_at IS NOT NEW.created_at
BEGIN
  INSERT INTO change_log (entity, op, entity_id, ticket_id, data, at)
  SELECT 'reply', 'delete', OLD.id, OLD.ticket_id, NULL, CAST(round(unixepoch('subsec') * 1000) AS INTEGER)
  WHERE OLD.id IS NOT NEW.id;
  INSERT INTO change_log (entity, op, entity_id, ticket_id, data, at)
  VALUES ('reply', 'upsert', NEW.id, NEW.ticket_id,
          json_object('user', NEW.user, 'message', NEW.message, 'createdAt', NEW.created_at),
          CAST(round(unixepoch('subsec') * 1000) AS INTEGER));
END;

CREATE TRIGGER change_log_reply_delete AFTER DELETE ON replies
BEGIN
  INSERT INTO change_log (entity, op, entity_id, ticket_id, data, at)
  VALUES ('reply', 'delete', OLD.id, OLD.ticket_id, NULL, CAST(round(unixepoch('subsec') * 1000) AS INTEGER));
END;

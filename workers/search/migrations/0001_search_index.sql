-- The search read model: one document per ticket and per reply, an FTS5 index over them, and the
-- pump's checkpoint. All in this one database, so a batch of changes and the checkpoint that
-- follows it commit in one D1 batch (a transaction), or neither does.

-- One row per document, keyed by what it indexes ('ticket:<id>' or 'reply:<id>'), so applying
-- a change is an upsert on that key and applying it again changes nothing.
--   title         a ticket's own title ('' for a reply): the most weighted column
--   body          a ticket's description, or a reply's message with its HTML tags stripped
--   ticket_title  a reply's ticket's title ('' for a ticket): a reply is found by its ticket's
--                 words too, below the ticket itself
CREATE TABLE documents (
  doc_key TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('ticket', 'reply')),
  ticket_id TEXT NOT NULL,
  reply_id TEXT,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  ticket_title TEXT NOT NULL,
  CHECK ((kind = 'reply') = (reply_id IS NOT NULL))
);

-- A ticket's title change rewrites ticket_title on its replies: find them by ticket.
CREATE INDEX documents_by_ticket ON documents (ticket_id, kind);

-- An external-content FTS5 table: the text lives once, in documents, and the index follows it
-- through the triggers below. FTS5 has no upsert and its UNINDEXED columns are not indexed, so a
-- self-contained FTS5 table keyed by an UNINDEXED doc_key would need a full scan to delete the
-- old version of a document. Here the key is documents' primary key (a b-tree), and an upsert
-- is `INSERT ... ON CONFLICT (doc_key) DO UPDATE`, which keeps the rowid and fires the update
-- trigger (not INSERT OR REPLACE, whose implicit delete fires no trigger unless
-- recursive_triggers is on, which would leave the old text in the index). The triggers hand FTS5
-- the old values exactly as indexed, as an external-content 'delete' requires.
CREATE VIRTUAL TABLE documents_fts USING fts5 (
  title, body, ticket_title,
  content = 'documents',
  content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
  INSERT INTO documents_fts (rowid, title, body, ticket_title) VALUES (new.rowid, new.title, new.body, new.ticket_title);
END;

CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, title, body, ticket_title)
    VALUES ('delete', old.rowid, old.title, old.body, old.ticket_title);
END;

CREATE TRIGGER documents_au AFTER UPDATE ON documents BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, title, body, ticket_title)
    VALUES ('delete', old.rowid, old.title, old.body, old.ticket_title);
  INSERT INTO documents_fts (rowid, title, body, ticket_title) VALUES (new.rowid, new.title, new.body, new.ticket_title);
END;

-- The pump's position in the tickets change log: every change up to seq is in the index.
-- applied_at: when a batch last moved it (epoch ms); rebuild_requested_at: set by a rebuild,
-- cleared by the batch that catches up with the log again.
CREATE TABLE pump_checkpoint (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL CHECK (seq >= 0),
  applied_at INTEGER,
  rebuild_requested_at INTEGER
);
INSERT INTO pump_checkpoint (id, seq, applied_at, rebuild_requested_at) VALUES (1, 0, NULL, NULL);

-- The guard of every batch. Its first statement inserts here whether the checkpoint is still the
-- one the batch was read after; when it is not (a rebuild, a second pump got there first) the
-- CHECK fails, and a failed statement rolls the whole D1 batch back: the batch applies entirely
-- on the checkpoint it was read after, or not at all. Its last statement empties the table again.
CREATE TABLE pump_guard (
  checkpoint_unchanged INTEGER NOT NULL CHECK (checkpoint_unchanged = 1)
);

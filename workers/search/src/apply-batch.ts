import type { BatchPlan } from "./batch-plan.ts";
import { jsonChunks } from "./json-chunks.ts";

/** A batch read from the change log, to be applied on the checkpoint it was read after. */
export interface Batch {
  /** The checkpoint the changes were read after. */
  after: number;
  /** The seq of the batch's last change: the new checkpoint. */
  through: number;
  /** The batch's effect, folded per document (see planBatch). */
  plan: BatchPlan;
  /** True when the batch reaches the log's head: it ends a rebuild. */
  caughtUp: boolean;
  /** Applied at (epoch ms). */
  now: number;
}

// Each statement takes its rows as a JSON array (?1), so a batch is a fixed handful of statements
// whatever its size (D1 counts statements, and each is a round trip inside the transaction).
// ON CONFLICT ... DO UPDATE keeps the rowid and fires the update trigger that re-indexes the
// document; its WHERE skips a document already in that state, so re-applying a change neither
// rewrites a row nor touches the index.

const GUARD = "INSERT INTO pump_guard (checkpoint_unchanged) SELECT seq = ?1 FROM pump_checkpoint WHERE id = 1";

const DELETE_TICKETS = "DELETE FROM documents WHERE ticket_id IN (SELECT value FROM json_each(?1))";

const DELETE_KEYS = "DELETE FROM documents WHERE doc_key IN (SELECT value FROM json_each(?1))";

const UPSERT_TICKETS = `
INSERT INTO documents (doc_key, kind, ticket_id, reply_id, title, body, ticket_title)
SELECT 'ticket:' || json_extract(e.value, '$.id'), 'ticket', json_extract(e.value, '$.id'), NULL,
       json_extract(e.value, '$.title'), json_extract(e.value, '$.body'), ''
FROM json_each(?1) AS e
WHERE true
ON CONFLICT (doc_key) DO UPDATE SET title = excluded.title, body = excluded.body
WHERE documents.title IS NOT excluded.title OR documents.body IS NOT excluded.body`;

// A ticket's title is carried by its replies' documents: a new title rewrites theirs.
const RETITLE_REPLIES = `
UPDATE documents SET ticket_title = json_extract(e.value, '$.title')
FROM json_each(?1) AS e
WHERE documents.kind = 'reply' AND documents.ticket_id = json_extract(e.value, '$.id')
  AND documents.ticket_title IS NOT json_extract(e.value, '$.title')`;

// After the tickets: a reply takes its ticket's title as the batch leaves it.
const UPSERT_REPLIES = `
INSERT INTO documents (doc_key, kind, ticket_id, reply_id, title, body, ticket_title)
SELECT 'reply:' || json_extract(e.value, '$.id'), 'reply', json_extract(e.value, '$.ticketId'), json_extract(e.value, '$.id'),
       '', json_extract(e.value, '$.body'),
       coalesce((SELECT t.title FROM documents AS t WHERE t.doc_key = 'ticket:' || json_extract(e.value, '$.ticketId')), '')
FROM json_each(?1) AS e
WHERE true
ON CONFLICT (doc_key) DO UPDATE SET ticket_id = excluded.ticket_id, body = excluded.body, ticket_title = excluded.ticket_title
WHERE documents.ticket_id IS NOT excluded.ticket_id OR documents.body IS NOT excluded.body
   OR documents.ticket_title IS NOT excluded.ticket_title`;

const ADVANCE = `
UPDATE pump_checkpoint
SET seq = ?1, applied_at = ?2, rebuild_requested_at = CASE WHEN ?3 THEN NULL ELSE rebuild_requested_at END
WHERE id = 1`;

const UNGUARD = "DELETE FROM pump_guard";

/**
 * The statements that apply a batch and move the checkpoint past it, as one D1 batch: one
 * transaction, so the index and the checkpoint move together or not at all. The first statement
 * is the guard: when the checkpoint is no longer `batch.after` (a rebuild or another pump moved
 * it since the batch was read), its CHECK fails and nothing of the batch is applied.
 *
 * @example
 * ```ts
 * await db.batch(batchStatements(db, { after: 0, through: 12, plan, caughtUp: true, now: Date.now() }));
 * ```
 */
export function batchStatements(db: D1Database, batch: Batch): D1PreparedStatement[] {
  const { plan } = batch;
  const each = (sql: string, items: readonly unknown[]) => jsonChunks(items).map((json) => db.prepare(sql).bind(json));
  return [
    db.prepare(GUARD).bind(batch.after),
    ...each(DELETE_TICKETS, plan.deletedTickets),
    ...each(DELETE_KEYS, plan.deletedKeys),
    ...each(UPSERT_TICKETS, plan.tickets),
    ...each(RETITLE_REPLIES, plan.tickets),
    ...each(UPSERT_REPLIES, plan.replies),
    db.prepare(ADVANCE).bind(batch.through, batch.now, batch.caughtUp ? 1 : 0),
    db.prepare(UNGUARD),
  ];
}

/**
 * True when a batch failed on its guard: the checkpoint moved since the batch was read. Not a
 * failure of the pump: the batch is stale, and the next one is read after the new checkpoint.
 *
 * @example
 * ```ts
 * try { await db.batch(batchStatements(db, batch)); } catch (err) { if (!isCheckpointMoved(err)) throw err; }
 * ```
 */
export const isCheckpointMoved = (err: unknown): boolean =>
  err instanceof Error && /CHECK constraint failed: checkpoint_unchanged/.test(err.message);

/** Where the pump stands, as stored beside the index in the search database. */
export interface Checkpoint {
  /** Every change up to this seq is in the index. */
  seq: number;
  /** When a batch last moved it (epoch ms), null before the first since the last rebuild. */
  appliedAt: number | null;
  /** When a rebuild was asked for, until the pump has caught up with the log again. */
  rebuildRequestedAt: number | null;
}

interface CheckpointRow {
  seq: number;
  applied_at: number | null;
  rebuild_requested_at: number | null;
}

/**
 * The pump's checkpoint (the migration creates its one row).
 *
 * @example
 * ```ts
 * const { seq } = await readCheckpoint(env.SEARCH_DB);
 * ```
 */
export async function readCheckpoint(db: D1Database): Promise<Checkpoint> {
  const row = await db.prepare("SELECT seq, applied_at, rebuild_requested_at FROM pump_checkpoint WHERE id = 1").first<CheckpointRow>();
  if (!row) throw new Error("the search database has no checkpoint row: apply its migrations");
  return { seq: row.seq, appliedAt: row.applied_at, rebuildRequestedAt: row.rebuild_requested_at };
}

/**
 * Empties the index and sets the checkpoint back to 0, in one batch: the pump then rebuilds the
 * index from the start of the change log. A batch the pump read before this commits nothing (its
 * guard sees the checkpoint moved).
 *
 * @example
 * ```ts
 * await resetIndex(env.SEARCH_DB, Date.now());
 * await pumpOf(env).poke();
 * ```
 */
export async function resetIndex(db: D1Database, now: number): Promise<void> {
  await db.batch([
    // Row by row through the delete trigger, which hands FTS5 each document's indexed text (an
    // external-content index is only consistent that way; its 'delete-all' would have to come
    // after, and is not needed then).
    db.prepare("DELETE FROM documents"),
    db.prepare("UPDATE pump_checkpoint SET seq = 0, applied_at = NULL, rebuild_requested_at = ?1 WHERE id = 1").bind(now),
  ]);
}

/**
 * Ends a rebuild that found nothing to replay (an empty change log): no batch ran to clear the
 * mark, and the status would say "rebuilding" for ever. Guarded by the checkpoint the step read, as
 * a batch is: a rebuild requested meanwhile stays marked.
 *
 * @example
 * ```ts
 * if (checkpoint.rebuildRequestedAt !== null) await endEmptyRebuild(db, checkpoint.seq);
 * ```
 */
export async function endEmptyRebuild(db: D1Database, seq: number): Promise<void> {
  await db
    .prepare("UPDATE pump_checkpoint SET rebuild_requested_at = NULL WHERE id = 1 AND seq = ?1 AND rebuild_requested_at IS NOT NULL")
    .bind(seq)
    .run();
}


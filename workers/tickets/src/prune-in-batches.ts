/** Rows one pruning statement deletes at most: D1's advice for large deletes (its FAQ). */
export const PRUNE_BATCH_ROWS = 1_000;
/**
 * Pruning statements per table and cron run: up to 10,000 rows a minute per tickets Worker (two
 * run the cron), well above what a minute of writes adds at this system's rates (see README,
 * "Where it stops scaling"), so a backlog shrinks run after run.
 */
export const PRUNE_MAX_BATCHES = 10;

/** How much a prune may do in one run. */
export interface PruneLimits {
  batchRows?: number;
  maxBatches?: number;
}

/** What a prune did: rows deleted, and whether rows it may delete are left for the next run. */
export interface PruneReport {
  pruned: number;
  more: boolean;
}

/**
 * Deletes the rows of `table` that `where` selects (with `params` bound), at most `batchRows` per
 * statement and `maxBatches` statements per call. D1 runs one write at a time: each statement is
 * its own short transaction, so the replies written meanwhile wait for one batch at most, never
 * for the whole backlog. `where` must be served by an index (the tables' age indexes), so each
 * batch finds its rows without a scan.
 *
 * @example
 * ```ts
 * const { pruned, more } = await pruneInBatches(env.DB, "idempotency_keys", "created_at < ?1", [cutoff]);
 * ```
 */
export async function pruneInBatches(
  db: D1Database,
  table: "idempotency_keys" | "outbox" | "webhook_events",
  where: string,
  params: unknown[],
  { batchRows = PRUNE_BATCH_ROWS, maxBatches = PRUNE_MAX_BATCHES }: PruneLimits = {},
): Promise<PruneReport> {
  let pruned = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    // DELETE ... LIMIT needs a SQLite build option; a rowid subquery with a LIMIT works everywhere.
    const { meta } = await db
      .prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${where} LIMIT ${batchRows})`)
      .bind(...params)
      .run();
    pruned += meta.changes;
    if (meta.changes < batchRows) return { pruned, more: false };
  }
  // Every statement deleted a full batch: one indexed probe tells whether any row is left.
  const left = await db.prepare(`SELECT 1 AS found FROM ${table} WHERE ${where} LIMIT 1`).bind(...params).first();
  return { pruned, more: left !== null };
}

import { pruneInBatches, type PruneLimits, type PruneReport } from "../prune-in-batches.ts";
import { IDEMPOTENCY_RETENTION_MS } from "./key.ts";

/**
 * Deletes keys older than the retention period, a bounded batch at a time (idempotency_keys_by_age
 * finds them); says how many went and whether more are left for the next run.
 *
 * @example
 * ```ts
 * const { pruned, more } = await pruneIdempotencyKeys(env.DB);
 * ```
 */
export async function pruneIdempotencyKeys(db: D1Database, now = Date.now(), limits?: PruneLimits): Promise<PruneReport> {
  return pruneInBatches(db, "idempotency_keys", "created_at < ?1", [now - IDEMPOTENCY_RETENTION_MS], limits);
}

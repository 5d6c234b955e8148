import { IDEMPOTENCY_RETENTION_MS } from "./key.ts";

/** Deletes keys older than the retention period; returns how many went. */
export async function pruneIdempotencyKeys(db: D1Database, now = Date.now()): Promise<number> {
  const { meta } = await db
    .prepare("DELETE FROM idempotency_keys WHERE created_at < ?1")
    .bind(now - IDEMPOTENCY_RETENTION_MS)
    .run();
  return meta.changes;
}

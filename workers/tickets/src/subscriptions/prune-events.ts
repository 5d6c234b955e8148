import { pruneInBatches, type PruneLimits, type PruneReport } from "../prune-in-batches.ts";

/**
 * How long webhook events are kept: 7 days, well past the last retry of their deliveries (about
 * 37 hours after the event), so the delivery log shows a week.
 */
export const WEBHOOK_EVENT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Events per pruning statement: each takes its deliveries (one per subscription, up to 100) and
 * their attempts (up to 9 each) with it, so a statement of 100 events deletes up to ~100,000
 * rows, the most one short transaction should hold up the writes behind it.
 */
export const WEBHOOK_EVENT_PRUNE_BATCH_ROWS = 100;

/**
 * Deletes webhook events older than the retention period with their deliveries and attempts (ON
 * DELETE CASCADE), a bounded batch at a time (webhook_events_by_age finds them); says how many
 * rows went and whether more are left for the next run. D1 counts the cascaded rows among a
 * statement's changes, so `pruned` is events, deliveries and attempts together, and a batch whose
 * events took more rows with them than a batch holds costs one more (empty) statement.
 *
 * @example
 * ```ts
 * const { pruned, more } = await pruneWebhookEvents(env.DB, Date.now());
 * ```
 */
export async function pruneWebhookEvents(db: D1Database, now = Date.now(), limits?: PruneLimits): Promise<PruneReport> {
  return pruneInBatches(db, "webhook_events", "created_at < ?1", [now - WEBHOOK_EVENT_RETENTION_MS], {
    batchRows: WEBHOOK_EVENT_PRUNE_BATCH_ROWS,
    ...limits,
  });
}

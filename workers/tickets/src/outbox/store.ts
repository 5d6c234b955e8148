// The outbox table (migrations/0003_reply_outbox.sql): rows are written with the change they
// report, claimed by whoever sends them, and marked sent once the Queue has them.
import { pruneInBatches, type PruneLimits, type PruneReport } from "../prune-in-batches.ts";
import type { Database } from "../store/database.ts";

/**
 * How long the request that wrote a row has to send it itself (its `waitUntil` may run up to 30 s
 * after the response) before the cron's re-drive may take the row over.
 */
export const OUTBOX_GRACE_MS = 60_000;
/**
 * How long a re-drive holds the rows it claimed. A `sendBatch` takes milliseconds; a claim whose
 * holder died expires after this and the next cron run takes the rows.
 */
export const OUTBOX_LEASE_MS = 60_000;
/**
 * How long sent rows are kept: 7 days, longer than a message can stay in the Queue or its dead
 * letter queue (4 days by default), so an operator can still re-send a range after an incident.
 */
export const OUTBOX_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** An event as stored in the outbox, ready to send: the whole event is the row's payload. */
export interface OutboxEvent {
  id: string;
  type: string;
  [field: string]: unknown;
}

/** An unsent row handed to a sender. */
export interface ClaimedRow {
  id: string;
  payload: string;
  createdAt: number;
  /** Whether the webhooks fan-out takes the event (some subscription was active at the commit). */
  toWebhooks: boolean;
}

/** `T` as SQLite returns it: its boolean is 0 or 1. */
export type Stored<T extends { toWebhooks: boolean }> = Omit<T, "toWebhooks"> & { toWebhooks: number };

/**
 * A row as SQLite returned it, with its `to_webhooks` 0 or 1 as a boolean.
 *
 * @example
 * ```ts
 * flagged({ payload: "{}", toWebhooks: 1 }); // { payload: "{}", toWebhooks: true }
 * ```
 */
export const flagged = <R extends { toWebhooks: number }>({ toWebhooks, ...row }: R): Omit<R, "toWebhooks"> & { toWebhooks: boolean } => ({
  ...row,
  toWebhooks: toWebhooks === 1,
});

/**
 * The statement that stores `event` in the outbox, committed `now`. It goes into the same
 * `db.batch` as the change the event reports, so both commit or neither does. The writing request
 * holds the first lease: the re-drive leaves the row alone for {@link OUTBOX_GRACE_MS}.
 */
export function insertOutboxEvent(db: Database, event: OutboxEvent, now: number): D1PreparedStatement {
  return db
    .prepare("INSERT INTO outbox (id, type, payload, created_at, claimed_until) VALUES (?1, ?2, ?3, ?4, ?5)")
    .bind(event.id, event.type, JSON.stringify(event), now, now + OUTBOX_GRACE_MS);
}

/**
 * Claims up to `limit` unsent rows whose lease has run out, oldest first, for `leaseMs`. One
 * UPDATE ... RETURNING is atomic in D1 (one writer, statement by statement): of two re-drives
 * running at once (two tickets versions share the cron), each row goes to exactly one.
 */
export async function claimUnsent(db: D1Database, now: number, limit: number, leaseMs = OUTBOX_LEASE_MS): Promise<ClaimedRow[]> {
  const { results } = await db
    .prepare(
      `UPDATE outbox SET claimed_until = ?1
       WHERE id IN (
         SELECT id FROM outbox
         WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < ?2)
         ORDER BY created_at LIMIT ?3)
       RETURNING id, payload, created_at AS createdAt, to_webhooks AS toWebhooks`,
    )
    .bind(now + leaseMs, now, limit)
    .all<Stored<ClaimedRow>>();
  // RETURNING gives no order: send oldest first anyway.
  return results.map(flagged).sort((a, b) => a.createdAt - b.createdAt);
}

/** An event leaving the outbox: its payload, and whether the webhooks fan-out takes it. */
export interface OutgoingEvent {
  payload: string;
  toWebhooks: boolean;
}

/**
 * Claims the unsent row `eventId` for a replay of the write that stored it, for `leaseMs`, and
 * returns its event; null when it is sent or claimed by someone else. A replay is that write's
 * request again, so it may take the row while the write's own grace holds it (`claimed_until` is
 * still `created_at + OUTBOX_GRACE_MS`), and once any lease is over; never while a re-drive (or
 * another replay) holds it. One atomic UPDATE ... RETURNING, as in {@link claimUnsent}.
 *
 * @example
 * ```ts
 * const outgoing = await claimForReplay(env.DB, stored.unsentEventId, Date.now()); // null: not ours to send
 * ```
 */
export async function claimForReplay(db: D1Database, eventId: string, now: number, leaseMs = OUTBOX_LEASE_MS): Promise<OutgoingEvent | null> {
  const row = await db
    .prepare(
      `UPDATE outbox SET claimed_until = ?1
       WHERE id = ?2 AND sent_at IS NULL
         AND (claimed_until IS NULL OR claimed_until < ?3 OR claimed_until = created_at + ?4)
       RETURNING payload, to_webhooks AS toWebhooks`,
    )
    .bind(now + leaseMs, eventId, now, OUTBOX_GRACE_MS)
    .first<Stored<OutgoingEvent>>();
  return row && flagged(row);
}

/** Marks rows sent (and frees their claim). */
export async function markSent(db: D1Database, ids: readonly string[], now: number): Promise<void> {
  await db
    .prepare("UPDATE outbox SET sent_at = ?1, claimed_until = NULL WHERE id IN (SELECT value FROM json_each(?2))")
    .bind(now, JSON.stringify(ids))
    .run();
}

/**
 * Deletes rows sent longer ago than the retention period, a bounded batch at a time (the partial
 * index outbox_sent finds them); says how many went and whether more are left for the next run.
 * Unsent rows always stay.
 *
 * @example
 * ```ts
 * const { pruned, more } = await pruneSentOutbox(env.DB, Date.now());
 * ```
 */
export async function pruneSentOutbox(db: D1Database, now: number, limits?: PruneLimits): Promise<PruneReport> {
  return pruneInBatches(db, "outbox", "sent_at < ?1", [now - OUTBOX_RETENTION_MS], limits);
}

import type { Database } from "../store/database.ts";
import { isoOrNull } from "./time.ts";

/** One line of a subscription's delivery log. */
export interface DeliveryAttempt {
  deliveryId: string;
  /** The event delivered: the `webhook-id` the receiver saw. */
  eventId: string;
  /** 1 for the first attempt; 0 for a delivery not attempted yet (queued). */
  attempt: number;
  /** The delivery's status now (not the attempt's outcome): pending, delivered or failed. */
  status: "pending" | "delivered" | "failed";
  /** The receiver's status code; null when none came (timeout, network error, refused URL) or not attempted yet. */
  statusCode: number | null;
  error: string | null;
  durationMs: number | null;
  /** When the next attempt after this one is due; null: none. */
  nextAttemptAt: string | null;
  /** When the attempt was made (for attempt 0: when the delivery was queued). */
  createdAt: string;
}

type AttemptRow = Omit<DeliveryAttempt, "nextAttemptAt" | "createdAt"> & { nextAttemptAt: number | null; createdAt: number };

/**
 * The latest `limit` lines of subscription `subscriptionId`'s delivery log, newest first: every
 * attempt made, and each delivery not attempted yet as attempt 0 (so it can be seen, and retried,
 * while it waits). Null when there is no such subscription. One batch: the subscription's
 * existence and the log. The log reads the subscription's deliveries by
 * webhook_deliveries_by_subscription and their attempts by primary key; deliveries go with their
 * events after 7 days (housekeeping), which bounds what it reads.
 *
 * @example
 * ```ts
 * const log = await deliveryLog(c.var.db, id, 50);
 * if (!log) throw subscriptionNotFound(id);
 * ```
 */
export async function deliveryLog(db: Database, subscriptionId: string, limit: number): Promise<DeliveryAttempt[] | null> {
  const [subscription, attempts] = await db.batch<{ found: number } | AttemptRow>([
    db.prepare("SELECT 1 AS found FROM webhook_subscriptions WHERE id = ?1").bind(subscriptionId),
    db
      .prepare(
        `SELECT d.id AS deliveryId, d.event_id AS eventId, a.attempt, d.status, a.status_code AS statusCode, a.error,
                a.duration_ms AS durationMs, a.next_attempt_at AS nextAttemptAt, a.created_at AS createdAt
         FROM webhook_deliveries d JOIN webhook_attempts a ON a.delivery_id = d.id
         WHERE d.subscription_id = ?1
         UNION ALL
         SELECT d.id, d.event_id, 0, d.status, NULL, NULL, NULL, d.next_attempt_at, d.created_at
         FROM webhook_deliveries d
         WHERE d.subscription_id = ?1 AND NOT EXISTS (SELECT 1 FROM webhook_attempts a WHERE a.delivery_id = d.id)
         ORDER BY createdAt DESC, deliveryId DESC, attempt DESC
         LIMIT ?2`,
      )
      .bind(subscriptionId, limit),
  ]);
  if (!subscription?.results.length) return null;
  return ((attempts?.results ?? []) as AttemptRow[]).map((row) => ({
    ...row,
    nextAttemptAt: isoOrNull(row.nextAttemptAt),
    createdAt: isoOrNull(row.createdAt) as string,
  }));
}

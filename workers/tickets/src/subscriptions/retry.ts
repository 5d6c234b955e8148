import { ApiError } from "#shared/http/api-error.ts";
import { describeError, logEvent } from "#shared/http/log.ts";
import type { DeliveryMessage } from "#shared/webhooks/delivery-message.ts";
import type { Database } from "../store/database.ts";

/** Where a manual retry's message goes: the `WEBHOOK_DELIVERIES` producer, or a stand-in in tests. */
export type DeliveryQueue = Pick<Queue<DeliveryMessage>, "send">;

/** How long a client should wait before retrying a retry the Queue refused. */
const QUEUE_RETRY_AFTER_SECONDS = 5;

type DeliveryStatus = "pending" | "delivered" | "failed";

/** What a retry reads of a delivery and, to move it, holds it to (see {@link moveDelivery}). */
interface DeliveryState {
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number | null;
}

interface DeliveryRow extends DeliveryState {
  leaseUntil: number | null;
  subscriptionStatus: "active" | "disabled";
}

/** A delivery counts in its subscription's delivered_count or failed_count by how it ended; pending counts in neither. */
const counted = (status: DeliveryStatus) => ({ delivered: status === "delivered" ? 1 : 0, failed: status === "failed" ? 1 : 0 });

/** The delivery as it was read, with no attempt in progress. Binds ?1 delivery id, ?2 subscription id, ?3 status, ?4 attempts, ?5 next attempt, ?6 now. */
const IN_STATE = `id = ?1 AND subscription_id = ?2 AND status = ?3 AND attempts = ?4 AND next_attempt_at IS ?5
  AND (lease_until IS NULL OR lease_until <= ?6)`;

/**
 * Moves a delivery from the state `from` (as read, no attempt in progress) to `to`, and its
 * subscription's counts with it, in one transaction; false when the delivery is no longer in
 * `from` (an attempt started meanwhile): then nothing changed.
 */
async function moveDelivery(
  db: Database,
  ids: { deliveryId: string; subscriptionId: string },
  from: DeliveryState,
  to: Pick<DeliveryState, "status" | "nextAttemptAt">,
  now: number,
): Promise<boolean> {
  const state = [ids.deliveryId, ids.subscriptionId, from.status, from.attempts, from.nextAttemptAt, now];
  const [before, after] = [counted(from.status), counted(to.status)];
  const [, moved] = await db.batch([
    db
      .prepare(
        `UPDATE webhook_subscriptions SET delivered_count = delivered_count + ?7, failed_count = failed_count + ?8
         WHERE id = ?2 AND EXISTS (SELECT 1 FROM webhook_deliveries WHERE ${IN_STATE})`,
      )
      .bind(...state, after.delivered - before.delivered, after.failed - before.failed),
    db.prepare(`UPDATE webhook_deliveries SET status = ?7, next_attempt_at = ?8 WHERE ${IN_STATE}`).bind(...state, to.status, to.nextAttemptAt),
  ]);
  return (moved?.meta.changes ?? 0) > 0;
}

const inProgress = (deliveryId: string) =>
  new ApiError(409, "delivery_in_progress", `delivery ${deliveryId} is being attempted right now: retry once the attempt is over`);

/**
 * Sends delivery `deliveryId` of subscription `subscriptionId` again now: its next attempt
 * (`attempts + 1`) goes to the `webhook-deliveries` Queue at once. A failed or delivered delivery
 * becomes pending again and leaves its subscription's failed or delivered count (the counts say
 * how deliveries ended; the attempt counts it again when it ends). A pending one only gets its
 * next attempt early: the message scheduled for that attempt is then a duplicate, which the
 * webhooks Worker's claim drops. The row is updated before the send, and put back if the Queue
 * refuses it (a 503 with Retry-After). 404: no such delivery for that subscription; 409: an
 * attempt is in progress (leased), or the subscription is disabled (its deliveries are not sent).
 *
 * @example
 * ```ts
 * const message = await retryDelivery(c.var.db, c.env.WEBHOOK_DELIVERIES, id, deliveryId, Date.now());
 * return c.json(message, 202);
 * ```
 */
export async function retryDelivery(
  db: Database,
  queue: DeliveryQueue,
  subscriptionId: string,
  deliveryId: string,
  now: number,
): Promise<DeliveryMessage> {
  const ids = { deliveryId, subscriptionId };
  const row = await db
    .prepare(
      `SELECT d.status, d.attempts, d.next_attempt_at AS nextAttemptAt, d.lease_until AS leaseUntil, s.status AS subscriptionStatus
       FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
       WHERE d.id = ?1 AND d.subscription_id = ?2`,
    )
    .bind(deliveryId, subscriptionId)
    .first<DeliveryRow>();
  if (!row) throw new ApiError(404, "not_found", `delivery ${deliveryId} of subscription ${subscriptionId} not found`);
  if (row.subscriptionStatus !== "active") {
    throw new ApiError(409, "subscription_disabled", `subscription ${subscriptionId} is disabled: enable it before retrying its deliveries`);
  }
  if (row.leaseUntil !== null && row.leaseUntil > now) throw inProgress(deliveryId);
  const retried = { status: "pending", nextAttemptAt: now } as const;
  if (!(await moveDelivery(db, ids, row, retried, now))) throw inProgress(deliveryId);
  const message: DeliveryMessage = { deliveryId, attempt: row.attempts + 1 };
  try {
    await queue.send(message, { contentType: "json" });
  } catch (err) {
    logEvent("warn", "subscriptions.retry_send_failed", { ...ids, ...describeError(err) });
    const restored = await moveDelivery(db, ids, { ...retried, attempts: row.attempts }, row, now);
    if (!restored) logEvent("warn", "subscriptions.retry_not_restored", { ...ids, why: "the delivery changed meanwhile" });
    throw new ApiError(503, "queue_unavailable", "the delivery Queue refused the retry: nothing changed, try again", {
      headers: { "retry-after": String(QUEUE_RETRY_AFTER_SECONDS) },
    });
  }
  return message;
}

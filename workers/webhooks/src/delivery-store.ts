// The delivery consumer's D1 statements: a delivery with what sending it needs, the claim of an
// attempt, and the record of its outcome. Every write is guarded by the state it expects, so a
// duplicate message, a manual retry or a deleted subscription changes nothing it should not.

/** A delivery joined with its subscription and its event. */
export interface DeliveryRow {
  id: string;
  event_id: string;
  subscription_id: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  lease_until: number | null;
  url: string;
  subscription_status: "active" | "disabled";
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  failing_since: number | null;
  payload: string;
}

/** What {@link claimAndLoad} found: whether this consumer holds the attempt, and the delivery as it now is. */
export interface Claim {
  claimed: boolean;
  /** Null when the delivery is gone (its subscription was deleted: the rows cascade). */
  row: DeliveryRow | null;
}

/** One attempt to claim: attempt `attempt` of delivery `deliveryId`. */
export interface ClaimRequest {
  deliveryId: string;
  attempt: number;
}

/**
 * Claims attempt `attempt` of each delivery, leasing it until `leaseUntil`, and reads each with
 * its subscription and event, all in one D1 round trip (a batch: each claim, then the read that
 * sees it), so the deliveries of a Queue batch do not queue behind each other's claims. A claim
 * applies to a pending delivery of an active subscription: when the previous attempt is finished
 * (or its lease ran out), or when this very attempt was claimed by a consumer that died before
 * recording it (its lease ran out). Results are in the order of `requests`.
 *
 * @example
 * ```ts
 * const [{ claimed, row }] = await claimAndLoad(env.DB, [{ deliveryId: id, attempt: 2 }], now, now + 45_000);
 * ```
 */
export async function claimAndLoad(db: D1Database, requests: readonly ClaimRequest[], now: number, leaseUntil: number): Promise<Claim[]> {
  if (requests.length === 0) return [];
  const claim = db.prepare(
    `UPDATE webhook_deliveries SET attempts = ?2, lease_until = ?4, next_attempt_at = NULL
     WHERE id = ?1 AND status = 'pending' AND (
       (attempts = ?2 - 1 AND (lease_until IS NULL OR lease_until < ?3)) OR
       (attempts = ?2 AND lease_until IS NOT NULL AND lease_until < ?3))
     AND EXISTS (SELECT 1 FROM webhook_subscriptions s WHERE s.id = subscription_id AND s.status = 'active')`,
  );
  const read = db.prepare(
    `SELECT d.id, d.event_id, d.subscription_id, d.status, d.attempts, d.lease_until,
            s.url, s.status AS subscription_status, s.secret, s.previous_secret, s.previous_secret_expires_at, s.failing_since,
            e.payload
     FROM webhook_deliveries d
     JOIN webhook_subscriptions s ON s.id = d.subscription_id
     JOIN webhook_events e ON e.id = d.event_id
     WHERE d.id = ?1`,
  );
  const results = await db.batch(
    requests.flatMap(({ deliveryId, attempt }) => [claim.bind(deliveryId, attempt, now, leaseUntil), read.bind(deliveryId)]),
  );
  return requests.map((_, n) => ({
    claimed: (results[2 * n]?.meta.changes ?? 0) > 0,
    row: (results[2 * n + 1]?.results[0] as DeliveryRow | undefined) ?? null,
  }));
}

/**
 * Fails a pending delivery of a disabled subscription, unattempted, and counts it. One transaction;
 * the count only moves when the delivery did.
 *
 * @example
 * ```ts
 * await failUnsent(env.DB, row.id, row.subscription_id);
 * ```
 */
export async function failUnsent(db: D1Database, deliveryId: string, subscriptionId: string): Promise<void> {
  await db.batch([
    db
      .prepare(
        `UPDATE webhook_subscriptions SET failed_count = failed_count + 1
         WHERE id = ?2 AND EXISTS (SELECT 1 FROM webhook_deliveries WHERE id = ?1 AND status = 'pending')`,
      )
      .bind(deliveryId, subscriptionId),
    db
      .prepare("UPDATE webhook_deliveries SET status = 'failed', lease_until = NULL, next_attempt_at = NULL WHERE id = ?1 AND status = 'pending'")
      .bind(deliveryId),
  ]);
}

/** One finished attempt and what it makes of its delivery and subscription. */
export interface AttemptRecord {
  deliveryId: string;
  subscriptionId: string;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
  durationMs: number;
  delivery: "delivered" | "pending" | "failed";
  nextAttemptAt: number | null;
  /** Set when this attempt disables the subscription. */
  disabledReason: string | null;
  now: number;
}

/**
 * Records an attempt in one transaction: its row in the delivery log, the delivery's new state
 * (lease released) and the subscription's counts, last delivery, failing streak and status. Each
 * statement applies only while the delivery still is at this attempt and pending, so a record
 * for a delivery deleted meanwhile changes nothing. True when recorded.
 *
 * @example
 * ```ts
 * await recordAttempt(env.DB, { deliveryId, subscriptionId, attempt: 1, statusCode: 200, ..., delivery: "delivered" });
 * ```
 */
export async function recordAttempt(db: D1Database, record: AttemptRecord): Promise<boolean> {
  const current = "EXISTS (SELECT 1 FROM webhook_deliveries WHERE id = ?1 AND status = 'pending' AND attempts = ?2)";
  const [, , delivery] = await db.batch([
    // First, while the delivery still shows as pending: the subscription's counts follow the delivery's new state.
    db
      .prepare(
        `UPDATE webhook_subscriptions SET
           last_delivery_at = ?4,
           delivered_count = delivered_count + (?5 = 'delivered'),
           failed_count = failed_count + (?5 = 'failed'),
           failing_since = CASE WHEN ?5 = 'delivered' THEN NULL ELSE COALESCE(failing_since, ?4) END,
           status = CASE WHEN ?6 IS NOT NULL THEN 'disabled' ELSE status END,
           disabled_reason = CASE WHEN ?6 IS NOT NULL THEN ?6 ELSE disabled_reason END
         WHERE id = ?3 AND ${current}`,
      )
      .bind(record.deliveryId, record.attempt, record.subscriptionId, record.now, record.delivery, record.disabledReason),
    db
      .prepare(
        `INSERT OR REPLACE INTO webhook_attempts
           (delivery_id, attempt, status_code, error, response_body, duration_ms, next_attempt_at, created_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 WHERE ${current}`,
      )
      .bind(record.deliveryId, record.attempt, record.statusCode, record.error, record.responseBody, record.durationMs, record.nextAttemptAt, record.now),
    db
      .prepare(
        `UPDATE webhook_deliveries SET status = ?3, lease_until = NULL, next_attempt_at = ?4
         WHERE id = ?1 AND status = 'pending' AND attempts = ?2`,
      )
      .bind(record.deliveryId, record.attempt, record.delivery, record.nextAttemptAt),
  ]);
  return (delivery?.meta.changes ?? 0) > 0;
}

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

/** Where a delivery's attempts stand, read after a claim was refused. */
export interface ClaimState {
  status: DeliveryRow["status"];
  attempts: number;
  lease_until: number | null;
}

/**
 * A delivery with its subscription and event, or null when it is gone (its subscription was
 * deleted: the rows cascade).
 *
 * @example
 * ```ts
 * const row = await loadDelivery(env.DB, "3f2a...");
 * ```
 */
export function loadDelivery(db: D1Database, deliveryId: string): Promise<DeliveryRow | null> {
  return db
    .prepare(
      `SELECT d.id, d.event_id, d.subscription_id, d.status, d.attempts, d.lease_until,
              s.url, s.status AS subscription_status, s.secret, s.previous_secret, s.previous_secret_expires_at, s.failing_since,
              e.payload
       FROM webhook_deliveries d
       JOIN webhook_subscriptions s ON s.id = d.subscription_id
       JOIN webhook_events e ON e.id = d.event_id
       WHERE d.id = ?1`,
    )
    .bind(deliveryId)
    .first<DeliveryRow>();
}

/**
 * Claims attempt `attempt` of a pending delivery, leasing it until `leaseUntil`: when the previous
 * attempt is finished (or its lease ran out), or when this very attempt was claimed by a consumer
 * that died before recording it (its lease ran out). True when claimed.
 *
 * @example
 * ```ts
 * if (!(await claimAttempt(env.DB, id, 2, now, now + 45_000))) return; // a duplicate, or in progress
 * ```
 */
export async function claimAttempt(db: D1Database, deliveryId: string, attempt: number, now: number, leaseUntil: number): Promise<boolean> {
  const claimed = await db
    .prepare(
      `UPDATE webhook_deliveries SET attempts = ?2, lease_until = ?4, next_attempt_at = NULL
       WHERE id = ?1 AND status = 'pending' AND (
         (attempts = ?2 - 1 AND (lease_until IS NULL OR lease_until < ?3)) OR
         (attempts = ?2 AND lease_until IS NOT NULL AND lease_until < ?3))
       RETURNING id`,
    )
    .bind(deliveryId, attempt, now, leaseUntil)
    .first<{ id: string }>();
  return claimed !== null;
}

/**
 * A delivery's status, attempts and lease, or null when it is gone.
 *
 * @example
 * ```ts
 * const state = await readClaimState(env.DB, id);
 * ```
 */
export function readClaimState(db: D1Database, deliveryId: string): Promise<ClaimState | null> {
  return db.prepare("SELECT status, attempts, lease_until FROM webhook_deliveries WHERE id = ?1").bind(deliveryId).first<ClaimState>();
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

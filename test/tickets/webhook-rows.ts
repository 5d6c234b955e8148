import { env } from "cloudflare:workers";

// Rows the webhooks Worker writes (events, deliveries, attempts), made by hand: the tickets tests
// check what the subscription API does with them, without running a delivery.

/** A public https URL the SSRF guard accepts, for subscriptions that are never delivered to. */
export const HOOK = "https://hooks.example.com/tickets";
/** An id no subscription has. */
export const UNKNOWN = "0123456789abcdef01234567";

/** One attempt of a delivery, as the webhooks Worker logs it. */
export interface AttemptRow {
  attempt: number;
  statusCode?: number | null;
  error?: string | null;
  durationMs?: number;
  nextAttemptAt?: number | null;
  createdAt: number;
}

/** A delivery to make: its state, and the attempts it has had. */
export interface DeliveryRow {
  id: string;
  subscriptionId: string;
  eventId?: string;
  status?: "pending" | "delivered" | "failed";
  attempts?: number;
  leaseUntil?: number | null;
  nextAttemptAt?: number | null;
  createdAt?: number;
  log?: AttemptRow[];
}

/**
 * Stores a webhook event (unless it exists), a delivery of it and its attempts.
 *
 * @example
 * ```ts
 * await storeDelivery({ id: "d1", subscriptionId: sub.id, status: "failed", attempts: 8, log: [{ attempt: 1, statusCode: 500, createdAt: now }] });
 * ```
 */
export async function storeDelivery(row: DeliveryRow): Promise<void> {
  const eventId = row.eventId ?? `event-of-${row.id}`;
  const createdAt = row.createdAt ?? Date.now();
  await env.DB.batch([
    env.DB.prepare("INSERT OR IGNORE INTO webhook_events (id, payload, created_at) VALUES (?1, ?2, ?3)").bind(eventId, JSON.stringify({ id: eventId }), createdAt),
    env.DB.prepare(
      `INSERT INTO webhook_deliveries (id, event_id, subscription_id, status, attempts, lease_until, next_attempt_at, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
    ).bind(row.id, eventId, row.subscriptionId, row.status ?? "pending", row.attempts ?? row.log?.length ?? 0, row.leaseUntil ?? null, row.nextAttemptAt ?? null, createdAt),
    ...(row.log ?? []).map((attempt) =>
      env.DB.prepare(
        `INSERT INTO webhook_attempts (delivery_id, attempt, status_code, error, response_body, duration_ms, next_attempt_at, created_at)
         VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6, ?7)`,
      ).bind(row.id, attempt.attempt, attempt.statusCode ?? null, attempt.error ?? null, attempt.durationMs ?? 12, attempt.nextAttemptAt ?? null, attempt.createdAt),
    ),
  ]);
}

/** A delivery's row as stored. */
export const deliveryRow = (id: string) =>
  env.DB.prepare("SELECT status, attempts, next_attempt_at AS nextAttemptAt, lease_until AS leaseUntil FROM webhook_deliveries WHERE id = ?1")
    .bind(id)
    .first<{ status: string; attempts: number; nextAttemptAt: number | null; leaseUntil: number | null }>();

/** A subscription's row as stored, secrets and counts included. */
export const subscriptionRow = (id: string) =>
  env.DB.prepare(
    `SELECT status, disabled_reason AS disabledReason, secret, previous_secret AS previousSecret,
            previous_secret_expires_at AS previousSecretExpiresAt, delivered_count AS deliveredCount,
            failed_count AS failedCount, failing_since AS failingSince
     FROM webhook_subscriptions WHERE id = ?1`,
  )
    .bind(id)
    .first<{
      status: string;
      disabledReason: string | null;
      secret: string;
      previousSecret: string | null;
      previousSecretExpiresAt: number | null;
      deliveredCount: number;
      failedCount: number;
      failingSince: number | null;
    }>();

/** How many rows `table` holds. */
export const rowCount = async (table: "webhook_subscriptions" | "webhook_events" | "webhook_deliveries" | "webhook_attempts") =>
  (await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<number>("n")) ?? 0;

/** Deletes every subscription and event, and with them every delivery and attempt. */
export async function clearWebhooks(): Promise<void> {
  await env.DB.batch([env.DB.prepare("DELETE FROM webhook_subscriptions"), env.DB.prepare("DELETE FROM webhook_events")]);
}

/**
 * Stores a subscription straight into its table (active unless asked otherwise), for tests that
 * only need one to exist: while one is active, every reply's event goes to the webhooks fan-out.
 *
 * @example
 * ```ts
 * beforeEach(() => storeSubscription());
 * ```
 */
export async function storeSubscription(status: "active" | "disabled" = "active"): Promise<string> {
  const id = crypto.randomUUID().replaceAll("-", "").slice(0, 24);
  await env.DB.prepare("INSERT INTO webhook_subscriptions (id, url, status, secret, created_at) VALUES (?1, ?2, ?3, 'whsec_test', ?4)")
    .bind(id, HOOK, status, new Date().toISOString())
    .run();
  return id;
}

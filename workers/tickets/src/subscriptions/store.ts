// The webhook_subscriptions table (migrations/0006_webhooks.sql), as the management API reads and
// writes it. The webhooks Worker reads the same rows to deliver, and keeps their counts.
import { ApiError } from "#shared/http/api-error.ts";
import { pageOf, type PagePosition } from "../cursor.ts";
import type { Database } from "../store/database.ts";
import { isoOrNull } from "./time.ts";

/** How many subscriptions may exist in all: each is a delivery per reply, and a row per delivery. */
export const MAX_SUBSCRIPTIONS = 100;

/** How long a rotated-out secret keeps signing beside the new one, so receivers can roll over. */
export const PREVIOUS_SECRET_TTL_MS = 24 * 60 * 60 * 1000;

/** A subscription as listed and read: never its secret. */
export interface Subscription {
  id: string;
  url: string;
  description: string | null;
  status: "active" | "disabled";
  /** Why it was disabled (a 410 from the receiver, failing for days); null while active. */
  disabledReason: string | null;
  createdAt: string;
  deliveredCount: number;
  failedCount: number;
  /** The last attempt, whatever its outcome; null before the first. */
  lastDeliveryAt: string | null;
}

/** A subscription just created: the only answer, with rotate-secret's, that shows its secret. */
export interface CreatedSubscription {
  id: string;
  url: string;
  description: string | null;
  status: "active";
  secret: string;
  createdAt: string;
}

type SubscriptionRow = Omit<Subscription, "lastDeliveryAt"> & { lastDeliveryAt: number | null };

const SUBSCRIPTION_COLUMNS = `id, url, description, status, disabled_reason AS disabledReason, created_at AS createdAt,
  delivered_count AS deliveredCount, failed_count AS failedCount, last_delivery_at AS lastDeliveryAt`;

const toSubscription = (row: SubscriptionRow): Subscription => ({ ...row, lastDeliveryAt: isoOrNull(row.lastDeliveryAt) });

/**
 * The 404 of every route given the id of a subscription that does not exist.
 *
 * @example
 * ```ts
 * if (!subscription) throw subscriptionNotFound(id);
 * ```
 */
export const subscriptionNotFound = (id: string) => new ApiError(404, "not_found", `subscription ${id} not found`);

/**
 * The statement that stores `subscription` unless {@link MAX_SUBSCRIPTIONS} exist already: then
 * it stores nothing (the count and the insert are one statement, so two creations at once cannot
 * both pass the cap). Whether it stored the row is whether the row exists afterwards.
 *
 * @example
 * ```ts
 * await db.batch([insertSubscription(db, subscription)]);
 * ```
 */
export function insertSubscription(db: Database, subscription: CreatedSubscription): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO webhook_subscriptions (id, url, description, secret, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5 WHERE (SELECT count(*) FROM webhook_subscriptions) < ?6`,
    )
    .bind(subscription.id, subscription.url, subscription.description, subscription.secret, subscription.createdAt, MAX_SUBSCRIPTIONS);
}

/**
 * The 409 of a creation past {@link MAX_SUBSCRIPTIONS}.
 *
 * @example
 * ```ts
 * throw subscriptionLimitReached();
 * ```
 */
export const subscriptionLimitReached = () =>
  new ApiError(409, "subscription_limit_reached", `at most ${MAX_SUBSCRIPTIONS} subscriptions may exist: delete one first`);

/** Subscriptions oldest first, `limit` at a time, after `after` when paging on (webhook_subscriptions_by_creation). */
export async function listSubscriptions(
  db: Database,
  limit: number,
  after: PagePosition | null,
): Promise<{ subscriptions: Subscription[]; next: PagePosition | null }> {
  const range = after ? "WHERE (created_at, id) > (?1, ?2)" : "";
  const params = after ? [after.createdAt, after.id] : [];
  const { results } = await db
    .prepare(`SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions ${range} ORDER BY created_at, id LIMIT ?${params.length + 1}`)
    .bind(...params, limit + 1)
    .all<SubscriptionRow>();
  const { items, next } = pageOf(results.map(toSubscription), limit);
  return { subscriptions: items, next };
}

/** One subscription, or null. */
export async function findSubscription(db: Database, id: string): Promise<Subscription | null> {
  const row = await db.prepare(`SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE id = ?1`).bind(id).first<SubscriptionRow>();
  return row && toSubscription(row);
}

/**
 * Deletes the subscriptions `where` selects; says how many went. Their deliveries go with them
 * (ON DELETE CASCADE), also those queued or waiting for a retry: the webhooks Worker finds no row
 * for their messages and sends nothing.
 */
async function deleteSubscriptions(db: Database, where: string, param: string): Promise<number> {
  const { meta } = await db.prepare(`DELETE FROM webhook_subscriptions WHERE ${where}`).bind(param).run();
  return meta.changes;
}

/** Deletes subscription `id` and its deliveries; false when there is none. */
export async function deleteSubscription(db: Database, id: string): Promise<boolean> {
  return (await deleteSubscriptions(db, "id = ?1", id)) > 0;
}

/**
 * Deletes every subscription to one of `urls` (webhook_subscriptions_by_url) and their deliveries;
 * says how many went.
 *
 * @example
 * ```ts
 * await deleteSubscriptionsTo(db, ["https://example.com/hook"]); // 2: it was subscribed twice
 * ```
 */
export async function deleteSubscriptionsTo(db: Database, urls: readonly string[]): Promise<number> {
  return deleteSubscriptions(db, "url IN (SELECT value FROM json_each(?1))", JSON.stringify(urls));
}

/**
 * The statement that gives subscription `id` the signing secret `secret`; the old one keeps
 * signing beside it until `previousExpiresAt` (epoch ms). A second rotation within that time drops
 * the oldest secret: two sign at most. Changes nothing for an unknown id.
 */
export function rotateSecret(db: Database, id: string, secret: string, previousExpiresAt: number): D1PreparedStatement {
  // SQLite evaluates every SET expression on the row as it was: previous_secret gets the old secret.
  return db
    .prepare("UPDATE webhook_subscriptions SET previous_secret = secret, secret = ?1, previous_secret_expires_at = ?2 WHERE id = ?3")
    .bind(secret, previousExpiresAt, id);
}

/**
 * Re-enables subscription `id`: active, no disabled reason, and its failing streak forgotten (the
 * days-of-failure rule starts over). Returns it, or null when there is none.
 */
export async function enableSubscription(db: Database, id: string): Promise<Subscription | null> {
  const row = await db
    .prepare(
      `UPDATE webhook_subscriptions SET status = 'active', disabled_reason = NULL, failing_since = NULL
       WHERE id = ?1 RETURNING ${SUBSCRIPTION_COLUMNS}`,
    )
    .bind(id)
    .first<SubscriptionRow>();
  return row && toSubscription(row);
}

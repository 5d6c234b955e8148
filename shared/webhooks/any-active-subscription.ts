/**
 * SQL that is true while some webhook subscription is active. The tickets outbox decides with it
 * whether a reply's event goes to the webhooks fan-out, and the fan-out whether to store the
 * event: one condition, so the two cannot drift apart.
 *
 * @example
 * ```ts
 * db.prepare(`SELECT ${ANY_ACTIVE_SUBSCRIPTION} AS active`);
 * ```
 */
export const ANY_ACTIVE_SUBSCRIPTION = "EXISTS (SELECT 1 FROM webhook_subscriptions WHERE status = 'active')";

import { parseReplyCreatedEvent, type ReplyCreatedEvent } from "#shared/events/reply-created.ts";
import { describeError, logEvent } from "#shared/http/log.ts";
import { retryDelaySeconds } from "#shared/queues/retry-delay.ts";
import { ANY_ACTIVE_SUBSCRIPTION } from "#shared/webhooks/any-active-subscription.ts";
import type { DeliveryMessage } from "#shared/webhooks/delivery-message.ts";
import { webhookPayload } from "#shared/webhooks/payload.ts";
import type { Runtime } from "./runtime.ts";

/** The most messages one `sendBatch` call takes. */
const SEND_BATCH_MAX = 100;

/**
 * Fans one event out in one D1 round trip: stores its payload (only when some subscription is
 * active: with none, an event costs one read and leaves nothing behind) and one pending delivery
 * per active subscription, then queues the first attempt of every delivery of it not attempted
 * yet. The delivery ids are random (32 hex digits). Run again for the same event (a redelivery
 * after a failure half-way), it creates nothing twice and re-queues only what was never attempted;
 * a first attempt queued twice is made once (the delivery consumer's claim drops the duplicate).
 *
 * @example
 * ```ts
 * const queued = await fanOut(event, env, Date.now()); // deliveries queued
 * ```
 */
export async function fanOut(event: ReplyCreatedEvent, env: Env, now: number): Promise<number> {
  const db = env.DB;
  const [, , pending] = await db.batch<{ id: string }>([
    db
      .prepare(
        `INSERT OR IGNORE INTO webhook_events (id, payload, created_at)
         SELECT ?1, ?2, ?3 WHERE ${ANY_ACTIVE_SUBSCRIPTION}`,
      )
      .bind(event.id, webhookPayload(event), now),
    db
      .prepare(
        `INSERT INTO webhook_deliveries (id, event_id, subscription_id, status, attempts, created_at)
         SELECT lower(hex(randomblob(16))), ?1, s.id, 'pending', 0, ?2 FROM webhook_subscriptions s WHERE s.status = 'active'
         ON CONFLICT (event_id, subscription_id) DO NOTHING`,
      )
      .bind(event.id, now),
    db.prepare("SELECT id FROM webhook_deliveries WHERE event_id = ?1 AND status = 'pending' AND attempts = 0").bind(event.id),
  ]);
  const ids = pending?.results ?? [];
  for (let start = 0; start < ids.length; start += SEND_BATCH_MAX) {
    const messages = ids.slice(start, start + SEND_BATCH_MAX).map(({ id }) => ({ body: { deliveryId: id, attempt: 1 } satisfies DeliveryMessage }));
    await env.WEBHOOK_DELIVERIES.sendBatch(messages);
  }
  return ids.length;
}

/**
 * The `webhook-events` consumer: each `reply.created` event fanned out to the subscriptions. A
 * malformed message is logged and acked (no retry can fix it); a failure (D1 or the Queue
 * unavailable) retries the message with a growing delay, so nothing is lost.
 *
 * @example
 * ```ts
 * if (batch.queue.startsWith("webhook-events")) await consumeWebhookEvents(batch, env, systemRuntime());
 * ```
 */
export async function consumeWebhookEvents(batch: MessageBatch<unknown>, env: Env, runtime: Pick<Runtime, "now">): Promise<void> {
  for (const message of batch.messages) {
    const parsed = parseReplyCreatedEvent(message.body);
    if (!parsed.ok) {
      logEvent("error", "webhooks.malformed_event", { queue: batch.queue, messageId: message.id, problems: parsed.problems });
      message.ack();
      continue;
    }
    try {
      const queued = await fanOut(parsed.event, env, runtime.now());
      logEvent("info", "webhooks.fan_out", { eventId: parsed.event.id, queued });
      message.ack();
    } catch (err) {
      const delaySeconds = retryDelaySeconds(message.attempts);
      logEvent("warn", "webhooks.fan_out_failed", { eventId: parsed.event.id, attempts: message.attempts, delaySeconds, ...describeError(err) });
      message.retry({ delaySeconds });
    }
  }
}

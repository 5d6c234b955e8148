import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { vi } from "vitest";
import type { ReplyCreatedEvent } from "#shared/events/reply-created.ts";
import type { DeliveryMessage } from "#shared/webhooks/delivery-message.ts";
import { generateWebhookSecret } from "#shared/webhooks/secret.ts";
import { consumeDeliveries } from "../../workers/webhooks/src/deliver.ts";
import { fanOut } from "../../workers/webhooks/src/fan-out.ts";
import type { Runtime } from "../../workers/webhooks/src/runtime.ts";

let sequence = 0;
const unique = (prefix: string) => `${prefix}-${++sequence}-${crypto.randomUUID().slice(0, 8)}`;

/** A receiver URL: the outbound fetch of the Worker under test lands in test/webhooks/receiver.mjs. */
export const receiverUrl = (path: string) => `https://hooks.example.com${path}`;

/** A valid `reply.created` event with an id of its own. */
export function replyEvent(id = unique("event")): ReplyCreatedEvent {
  const createdAt = new Date(Date.UTC(2030, 0, 1)).toISOString();
  return {
    id,
    type: "reply.created",
    occurredAt: createdAt,
    data: { ticketId: "55e633b9fa7864d21a226052", title: "Social Authentication", replyId: unique("reply"), user: "Ana", message: "It works", createdAt },
  };
}

/** A subscription row as a test needs it (T's API is tested apart). */
export interface SubscriptionFixture {
  url: string;
  secret?: string;
  status?: "active" | "disabled";
  previousSecret?: string | null;
  previousSecretExpiresAt?: number | null;
  failingSince?: number | null;
}

/** Inserts a subscription straight into D1; returns its id and secret. */
export async function insertSubscription(fixture: SubscriptionFixture): Promise<{ id: string; secret: string }> {
  // The tickets service's id style (24 hex digits), so its routes take it.
  const id = [...crypto.getRandomValues(new Uint8Array(12))].map((b) => b.toString(16).padStart(2, "0")).join("");
  const secret = fixture.secret ?? generateWebhookSecret();
  await env.DB.prepare(
    `INSERT INTO webhook_subscriptions (id, url, status, secret, previous_secret, previous_secret_expires_at, failing_since, created_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
  )
    .bind(id, fixture.url, fixture.status ?? "active", secret, fixture.previousSecret ?? null, fixture.previousSecretExpiresAt ?? null, fixture.failingSince ?? null, new Date().toISOString())
    .run();
  return { id, secret };
}

/** A stand-in for the WEBHOOK_DELIVERIES producer: records what is sent and with which delay, or fails every send. */
export function recordingDeliveries(options: { failing?: boolean } = {}) {
  const sent: { body: DeliveryMessage; delaySeconds: number | undefined }[] = [];
  const refuse = () => {
    if (options.failing) throw new Error("Queue send failed: service unavailable");
  };
  const metadata = { metrics: { backlogCount: 0, backlogBytes: 0 } };
  const queue = {
    async send(body: DeliveryMessage, sendOptions?: QueueSendOptions) {
      refuse();
      sent.push({ body, delaySeconds: sendOptions?.delaySeconds });
      return { metadata };
    },
    async sendBatch(messages: Iterable<MessageSendRequest<DeliveryMessage>>) {
      refuse();
      for (const message of messages) sent.push({ body: message.body, delaySeconds: message.delaySeconds });
      return { metadata };
    },
    async metrics() {
      return metadata.metrics;
    },
  };
  return { queue: queue as unknown as Queue, sent };
}

/** The env with a recording WEBHOOK_DELIVERIES (nothing reaches the real Queue) and any var overridden. */
export function testEnv(overrides: Partial<Env> = {}) {
  const deliveries = recordingDeliveries();
  return { env: { ...env, WEBHOOK_DELIVERIES: deliveries.queue, ...overrides } as Env, sent: deliveries.sent };
}

/** The real fetch (to the receiver), the real clock unless fixed, and a fixed random source. */
export const testRuntime = (overrides: Partial<Runtime> = {}): Runtime => ({
  now: () => Date.now(),
  random: () => 0.5,
  fetch: (input, init) => fetch(input, init),
  ...overrides,
});

/** Fans `event` out with a recording queue; returns the first-attempt messages it queued. */
export async function fanOutRecorded(event: ReplyCreatedEvent) {
  const { env: recordingEnv, sent } = testEnv();
  await fanOut(event, recordingEnv, Date.now());
  return sent.map(({ body }) => body);
}

/** The deliveries of an event, by subscription id. */
export async function deliveriesOf(eventId: string): Promise<Map<string, string>> {
  const { results } = await env.DB.prepare("SELECT id, subscription_id FROM webhook_deliveries WHERE event_id = ?1")
    .bind(eventId)
    .all<{ id: string; subscription_id: string }>();
  return new Map(results.map((row) => [row.subscription_id, row.id]));
}

/** A subscription and one event fanned out to it: the delivery id to make attempts of. */
export async function pendingDelivery(fixture: SubscriptionFixture) {
  const subscription = await insertSubscription(fixture);
  const event = replyEvent();
  await fanOutRecorded(event);
  const deliveryId = (await deliveriesOf(event.id)).get(subscription.id);
  if (deliveryId === undefined) throw new Error("the fan-out made no delivery");
  return { subscription, event, deliveryId };
}

/**
 * Runs the delivery consumer on one batch of messages (each on its `attempts`-th delivery);
 * returns the queue result, the delays messages were retried with and what was sent to the
 * recording WEBHOOK_DELIVERIES.
 */
export async function deliver(
  messages: DeliveryMessage[],
  options: { env?: Partial<Env>; runtime?: Partial<Runtime>; attempts?: number } = {},
) {
  const { env: consumerEnv, sent } = testEnv(options.env);
  const batch = createMessageBatch<unknown>(
    "webhook-deliveries",
    messages.map((body) => ({ id: unique("message"), timestamp: new Date(), attempts: options.attempts ?? 1, body })),
  );
  // getQueueResult reports which messages were retried, not their delays: record those.
  const retryDelays: (number | undefined)[] = [];
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    vi.spyOn(message, "retry").mockImplementation((retryOptions) => {
      retryDelays.push(retryOptions?.delaySeconds);
      retry(retryOptions);
    });
  }
  await consumeDeliveries(batch, consumerEnv, testRuntime(options.runtime));
  const result = await getQueueResult(batch, createExecutionContext());
  return { batch, result, retryDelays, sent };
}

/** One request the receiver recorded. */
export interface ReceivedRequest {
  seq: number;
  path: string;
  webhook_id: string | null;
  webhook_timestamp: string | null;
  webhook_signature: string | null;
  content_type: string | null;
  body: string;
}

/** Every request the receiver recorded, oldest first; only those of `webhookId` when given. */
export async function received(webhookId?: string): Promise<ReceivedRequest[]> {
  const all = (await (await env.RECEIVER.fetch("https://receiver.test/_log")).json()) as ReceivedRequest[];
  return webhookId === undefined ? all : all.filter((request) => request.webhook_id === webhookId);
}

/** The standard-webhooks headers of a recorded request, to verify it. */
export const signedHeaders = (request: ReceivedRequest) => ({
  "webhook-id": request.webhook_id ?? "",
  "webhook-timestamp": request.webhook_timestamp ?? "",
  "webhook-signature": request.webhook_signature ?? "",
});

/** A delivery's row. */
export const deliveryRow = (id: string) =>
  env.DB.prepare("SELECT * FROM webhook_deliveries WHERE id = ?1").bind(id).first<{
    status: string;
    attempts: number;
    lease_until: number | null;
    next_attempt_at: number | null;
  }>();

/** A delivery's attempts, in order. */
export const attemptsOf = async (id: string) =>
  (
    await env.DB.prepare("SELECT * FROM webhook_attempts WHERE delivery_id = ?1 ORDER BY attempt").bind(id).all<{
      attempt: number;
      status_code: number | null;
      error: string | null;
      response_body: string | null;
      duration_ms: number;
      next_attempt_at: number | null;
      created_at: number;
    }>()
  ).results;

/** A subscription's row. */
export const subscriptionRow = (id: string) =>
  env.DB.prepare("SELECT * FROM webhook_subscriptions WHERE id = ?1").bind(id).first<{
    status: string;
    disabled_reason: string | null;
    delivered_count: number;
    failed_count: number;
    last_delivery_at: number | null;
    failing_since: number | null;
  }>();

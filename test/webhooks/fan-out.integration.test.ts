import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import worker from "../../workers/webhooks/src/index.ts";
import { deliver, deliveriesOf, insertSubscription, recordingDeliveries, replyEvent, receiverUrl, testEnv } from "./fixtures.ts";

/** Runs the Worker's queue handler on one batch from `queue`; returns the queue result. */
async function consume(queue: string, bodies: unknown[], consumerEnv: Env, attempts = 1) {
  const batch = createMessageBatch<unknown>(
    queue,
    bodies.map((body, n) => ({ id: `m-${crypto.randomUUID()}-${n}`, timestamp: new Date(), attempts, body })),
  );
  await worker.queue(batch, consumerEnv);
  return { batch, result: await getQueueResult(batch, createExecutionContext()) };
}

describe("the fan-out (webhook-events)", () => {
  // Storage lasts for the whole file: each test counts deliveries to its own subscriptions only.
  beforeEach(async () => {
    await env.DB.prepare("DELETE FROM webhook_subscriptions").run();
  });

  it("stores the event and one delivery per active subscription, and queues each first attempt at once", async () => {
    const active = [await insertSubscription({ url: receiverUrl("/ok") }), await insertSubscription({ url: receiverUrl("/fail") })];
    const disabled = await insertSubscription({ url: receiverUrl("/ok"), status: "disabled" });
    const event = replyEvent();
    const { env: consumerEnv, sent } = testEnv();
    const { batch, result } = await consume("webhook-events", [event], consumerEnv);
    expect(result.explicitAcks).toEqual([batch.messages[0]!.id]);

    const deliveries = await deliveriesOf(event.id);
    expect([...deliveries.keys()].sort()).toEqual(active.map((s) => s.id).sort());
    expect(deliveries.has(disabled.id)).toBe(false);
    for (const id of deliveries.values()) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(sent.map(({ body }) => body).sort((a, b) => a.deliveryId.localeCompare(b.deliveryId))).toEqual(
      [...deliveries.values()].sort().map((deliveryId) => ({ deliveryId, attempt: 1 })),
    );
    expect(sent.every(({ delaySeconds }) => delaySeconds === undefined)).toBe(true);
    const stored = await env.DB.prepare("SELECT payload FROM webhook_events WHERE id = ?1").bind(event.id).first<{ payload: string }>();
    expect(JSON.parse(stored!.payload)).toEqual(event);
  });

  it("with no active subscription, stores nothing and queues nothing", async () => {
    await insertSubscription({ url: receiverUrl("/ok"), status: "disabled" });
    const event = replyEvent();
    const { env: consumerEnv, sent } = testEnv();
    const { batch, result } = await consume("webhook-events", [event], consumerEnv);
    expect(result.explicitAcks).toEqual([batch.messages[0]!.id]);
    expect(sent).toEqual([]);
    expect(await env.DB.prepare("SELECT id FROM webhook_events WHERE id = ?1").bind(event.id).first()).toBeNull();
  });

  it("a redelivered event creates nothing twice and re-queues only the deliveries never attempted", async () => {
    const first = await insertSubscription({ url: receiverUrl("/ok") });
    await insertSubscription({ url: receiverUrl("/ok") });
    const event = replyEvent();
    await consume("webhook-events", [event], testEnv().env);
    const deliveries = await deliveriesOf(event.id);
    await deliver([{ deliveryId: deliveries.get(first.id)!, attempt: 1 }]);

    const { env: consumerEnv, sent } = testEnv();
    await consume("webhook-events", [event], consumerEnv, 2);
    expect(await deliveriesOf(event.id)).toEqual(deliveries);
    expect(sent.map(({ body }) => body.deliveryId)).toEqual([...deliveries.values()].filter((id) => id !== deliveries.get(first.id)));
  });

  it("acks a malformed event without storing anything, and fans out the valid one beside it", async () => {
    await insertSubscription({ url: receiverUrl("/ok") });
    const valid = replyEvent();
    const wrongType = { ...replyEvent(), type: "reply.deleted" };
    const { result, batch } = await consume("webhook-events", ["nonsense", wrongType, valid], testEnv().env);
    expect(result.explicitAcks.sort()).toEqual(batch.messages.map((message) => message.id).sort());
    const stored = async (id: string) => (await env.DB.prepare("SELECT id FROM webhook_events WHERE id = ?1").bind(id).first()) !== null;
    expect(await stored(valid.id)).toBe(true);
    expect(await stored(wrongType.id)).toBe(false);
  });

  it("retries the event when the Queue (or D1) fails, and loses nothing", async () => {
    const subscription = await insertSubscription({ url: receiverUrl("/ok") });
    const event = replyEvent();
    const failing = recordingDeliveries({ failing: true });
    const { result } = await consume("webhook-events", [event], { ...env, WEBHOOK_DELIVERIES: failing.queue });
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toHaveLength(1);
    // The redelivery queues the first attempt that was not sent.
    const { env: consumerEnv, sent } = testEnv();
    await consume("webhook-events", [event], consumerEnv, 2);
    expect(sent.map(({ body }) => body)).toEqual([{ deliveryId: (await deliveriesOf(event.id)).get(subscription.id)!, attempt: 1 }]);
  });

  it("tells its two Queues apart by name in every environment, and keeps messages of any other", async () => {
    await insertSubscription({ url: receiverUrl("/ok") });
    const event = replyEvent();
    const { env: consumerEnv, sent } = testEnv();
    await consume("webhook-events-staging", [event], consumerEnv);
    expect(sent).toHaveLength(1);
    const { result } = await consume("webhook-deliveries-production", [sent[0]!.body], consumerEnv);
    expect(result.explicitAcks).toHaveLength(1);
    const [deliveryId] = (await deliveriesOf(event.id)).values();
    const row = await env.DB.prepare("SELECT status FROM webhook_deliveries WHERE id = ?1").bind(deliveryId).first<{ status: string }>();
    expect(row!.status).toBe("delivered");
    const other = await consume("reply-events", [event], consumerEnv);
    expect(other.result.retryBatch.retry).toBe(true);
  });
});

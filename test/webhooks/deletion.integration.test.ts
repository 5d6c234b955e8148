import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { deliver, deliveryRow, pendingDelivery, received, receiverUrl, subscriptionRow } from "./fixtures.ts";

const deleteSubscription = (id: string) => env.DB.prepare("DELETE FROM webhook_subscriptions WHERE id = ?1").bind(id).run();

describe("a deleted or disabled subscription", () => {
  it("gets nothing from a first attempt queued before the delete", async () => {
    const { deliveryId, event, subscription } = await pendingDelivery({ url: receiverUrl("/ok") });
    await deleteSubscription(subscription.id);
    const { batch, result, sent } = await deliver([{ deliveryId, attempt: 1 }]);
    expect(result.explicitAcks).toEqual([batch.messages[0]!.id]);
    expect(sent).toEqual([]);
    expect(await received(event.id)).toEqual([]);
    expect(await deliveryRow(deliveryId)).toBeNull();
  });

  it("gets nothing from a retry waiting in the Queue", async () => {
    const { deliveryId, event, subscription } = await pendingDelivery({ url: receiverUrl("/fail") });
    const first = await deliver([{ deliveryId, attempt: 1 }]);
    expect(first.sent.map(({ body }) => body)).toEqual([{ deliveryId, attempt: 2 }]);
    await deleteSubscription(subscription.id);
    const { result, sent } = await deliver([{ deliveryId, attempt: 2 }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(sent).toEqual([]);
    expect((await received(event.id)).length).toBe(1);
  });

  it("deleted while an attempt is in flight: the outcome is dropped quietly, the message acked", async () => {
    const { deliveryId, subscription } = await pendingDelivery({ url: receiverUrl("/fail") });
    const { result } = await deliver([{ deliveryId, attempt: 1 }], {
      runtime: {
        fetch: async (input, init) => {
          await deleteSubscription(subscription.id);
          return fetch(input, init);
        },
      },
    });
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);
    const { results } = await env.DB.prepare("SELECT * FROM webhook_attempts WHERE delivery_id = ?1").bind(deliveryId).all();
    expect(results).toEqual([]);
  });

  it("disabled: its pending delivery is failed unsent and counted", async () => {
    const { deliveryId, event, subscription } = await pendingDelivery({ url: receiverUrl("/ok") });
    await env.DB.prepare("UPDATE webhook_subscriptions SET status = 'disabled', disabled_reason = 'test' WHERE id = ?1").bind(subscription.id).run();
    const { result, sent } = await deliver([{ deliveryId, attempt: 1 }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(sent).toEqual([]);
    expect(await received(event.id)).toEqual([]);
    expect(await deliveryRow(deliveryId)).toMatchObject({ status: "failed", attempts: 0 });
    expect(await subscriptionRow(subscription.id)).toMatchObject({ failed_count: 1 });
    // Again (a duplicate): counted once.
    await deliver([{ deliveryId, attempt: 1 }]);
    expect(await subscriptionRow(subscription.id)).toMatchObject({ failed_count: 1 });
  });
});

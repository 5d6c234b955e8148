import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { attemptsOf, deliver, deliveriesOf, fanOutRecorded, insertSubscription, pendingDelivery, replyEvent, receiverUrl, deliveryRow } from "./fixtures.ts";

/** One event fanned out to a healthy subscription and another one; their two delivery ids. */
async function twoDeliveries(otherUrl: string) {
  const healthy = await insertSubscription({ url: receiverUrl("/ok") });
  const other = await insertSubscription({ url: otherUrl });
  const event = replyEvent();
  await fanOutRecorded(event);
  const ids = await deliveriesOf(event.id);
  return { healthyId: ids.get(healthy.id)!, otherId: ids.get(other.id)!, otherSubscription: other.id };
}

describe("one receiver does not hold up another", () => {
  it("a slow receiver's attempt is still running when the healthy delivery of the same event is recorded", async () => {
    const { healthyId, otherId, otherSubscription } = await twoDeliveries(receiverUrl("/placeholder"));
    // The slow receiver answers only once it sees the healthy delivery recorded as delivered (or
    // after 3 s), and says which: sequential handling (the slow message comes first in the batch)
    // could never let it see that.
    await env.DB.prepare("UPDATE webhook_subscriptions SET url = ?1 WHERE id = ?2").bind(receiverUrl(`/wait-for/${healthyId}`), otherSubscription).run();
    const { batch, result } = await deliver(
      [
        { deliveryId: otherId, attempt: 1 },
        { deliveryId: healthyId, attempt: 1 },
      ],
      { env: { WEBHOOK_TIMEOUT_MS: "5000" } },
    );
    expect(result.explicitAcks.sort()).toEqual(batch.messages.map((message) => message.id).sort());
    expect((await deliveryRow(healthyId))!.status).toBe("delivered");
    expect((await attemptsOf(otherId))[0]).toMatchObject({ status_code: 500, response_body: "saw it delivered" });
  });

  it("a failing and a timing-out receiver do not stop the healthy one's delivery, each message settled on its own", async () => {
    const failing = await twoDeliveries(receiverUrl("/fail"));
    const slow = await twoDeliveries(receiverUrl("/slow?ms=3000"));
    const { batch, result, sent } = await deliver(
      [failing.otherId, slow.otherId, failing.healthyId, slow.healthyId].map((deliveryId) => ({ deliveryId, attempt: 1 })),
      { env: { WEBHOOK_TIMEOUT_MS: "200" } },
    );
    expect(result.explicitAcks).toHaveLength(batch.messages.length);
    expect(result.retryMessages).toEqual([]);
    for (const id of [failing.healthyId, slow.healthyId]) expect((await deliveryRow(id))!.status).toBe("delivered");
    expect(sent.map(({ body }) => body.deliveryId).sort()).toEqual([failing.otherId, slow.otherId].sort());
  });

  it("the deliveries of a batch are claimed together, in one D1 round trip, not one behind another", async () => {
    const pending = [await pendingDelivery({ url: receiverUrl("/ok") }), await pendingDelivery({ url: receiverUrl("/fail") }), await pendingDelivery({ url: receiverUrl("/ok") })];
    let batches = 0;
    const counting = new Proxy(env.DB, {
      get: (target, key) => {
        if (key === "batch") batches++;
        return Reflect.get(target, key).bind(target);
      },
    });
    const { result } = await deliver(
      pending.map(({ deliveryId }) => ({ deliveryId, attempt: 1 })),
      { env: { DB: counting } },
    );
    expect(result.explicitAcks).toHaveLength(3);
    // One batch for the three claims, then one per recorded outcome.
    expect(batches).toBe(1 + 3);
    expect(await Promise.all(pending.map(async ({ deliveryId }) => (await deliveryRow(deliveryId))?.attempts))).toEqual([1, 1, 1]);
  });
});


import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { claimAndLoad } from "../../workers/webhooks/src/delivery-store.ts";
import { LEASE_MARGIN_MS } from "../../workers/webhooks/src/deliver.ts";
import { attemptsOf, deliver, deliveryRow, pendingDelivery, received, receiverUrl, recordingDeliveries } from "./fixtures.ts";

/** The project's WEBHOOK_TIMEOUT_MS plus the margin: how long a claimed attempt stays leased. */
const LEASE_MS = Number(env.WEBHOOK_TIMEOUT_MS) + LEASE_MARGIN_MS;

/**
 * The tickets database, but every `batch` after the first throws: the claim (the first) goes
 * through, the writes that record the outcome do not. D1 gone mid-attempt.
 */
const dbFailingAfterClaim = (): D1Database => {
  let batches = 0;
  return new Proxy(env.DB, {
    get: (target, key) =>
      key === "batch" && batches++ > 0
        ? async () => {
            throw new Error("D1_ERROR: Network connection lost.");
          }
        : Reflect.get(target, key).bind(target),
  });
};

/** The tickets database down for everything. */
const dbDown = (): D1Database =>
  new Proxy(env.DB, {
    get: () => () => {
      throw new Error("D1_ERROR: Network connection lost.");
    },
  });

describe("a consumer failure loses no delivery", () => {
  it("the database failing after the attempt: the message is retried, then the attempt made again once the lease runs out", async () => {
    const { deliveryId, event } = await pendingDelivery({ url: receiverUrl("/ok") });
    const crashed = await deliver([{ deliveryId, attempt: 1 }], { env: { DB: dbFailingAfterClaim() } });
    expect(crashed.result.explicitAcks).toEqual([]);
    expect(crashed.result.retryMessages).toHaveLength(1);
    expect(crashed.retryDelays).toEqual([5]);
    expect(await deliveryRow(deliveryId)).toMatchObject({ status: "pending", attempts: 1, lease_until: expect.any(Number) });

    // Redelivered while the lease holds: it waits (no more than the lease), nothing is sent twice.
    const early = await deliver([{ deliveryId, attempt: 1 }], { attempts: 2 });
    expect(early.result.retryMessages).toHaveLength(1);
    const [wait] = early.retryDelays;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(Math.ceil(LEASE_MS / 1000) + 1);
    expect(await received(event.id)).toHaveLength(1);

    // Redelivered after the lease: the attempt is made again (at least once) and recorded.
    const later = Date.now() + LEASE_MS + 1;
    const retried = await deliver([{ deliveryId, attempt: 1 }], { attempts: 3, runtime: { now: () => later } });
    expect(retried.result.explicitAcks).toHaveLength(1);
    expect(await received(event.id)).toHaveLength(2);
    expect(await deliveryRow(deliveryId)).toMatchObject({ status: "delivered", attempts: 1, lease_until: null });
    expect((await attemptsOf(deliveryId)).map((a) => [a.attempt, a.status_code])).toEqual([[1, 200]]);
  });

  it("the isolate dying after the claim: the attempt is made once the lease runs out", async () => {
    const { deliveryId, event } = await pendingDelivery({ url: receiverUrl("/ok") });
    const claimedAt = Date.now();
    expect((await claimAndLoad(env.DB, [{ deliveryId, attempt: 1 }], claimedAt, claimedAt + LEASE_MS))[0]?.claimed).toBe(true);
    // ... and the isolate is gone: the message was never acked, so the Queue brings it back.
    const later = claimedAt + LEASE_MS + 1;
    const { result } = await deliver([{ deliveryId, attempt: 1 }], { attempts: 2, runtime: { now: () => later } });
    expect(result.explicitAcks).toHaveLength(1);
    expect(await received(event.id)).toHaveLength(1);
    expect((await deliveryRow(deliveryId))!.status).toBe("delivered");
  });

  it("the Queue refusing the next attempt: the message is retried and the failed attempt made again, its retry then queued", async () => {
    const { deliveryId } = await pendingDelivery({ url: receiverUrl("/fail") });
    const failing = recordingDeliveries({ failing: true });
    const crashed = await deliver([{ deliveryId, attempt: 1 }], { env: { WEBHOOK_DELIVERIES: failing.queue } });
    expect(crashed.result.retryMessages).toHaveLength(1);
    // Nothing recorded: the attempt is still claimed, not yet counted as made.
    expect(await attemptsOf(deliveryId)).toEqual([]);
    const later = Date.now() + LEASE_MS + 1;
    const { sent } = await deliver([{ deliveryId, attempt: 1 }], { attempts: 2, runtime: { now: () => later } });
    expect(sent.map(({ body, delaySeconds }) => [body, delaySeconds])).toEqual([[{ deliveryId, attempt: 2 }, 5]]);
    expect((await attemptsOf(deliveryId)).map((a) => a.attempt)).toEqual([1]);
  });

  it("the database down: the message is retried with a growing delay, nothing sent", async () => {
    const { deliveryId, event } = await pendingDelivery({ url: receiverUrl("/ok") });
    const delays = [];
    for (const attempts of [1, 2, 3]) {
      const { retryDelays, result } = await deliver([{ deliveryId, attempt: 1 }], { attempts, env: { DB: dbDown() } });
      expect(result.explicitAcks).toEqual([]);
      delays.push(...retryDelays);
    }
    expect(delays).toEqual([5, 10, 20]);
    expect(await received(event.id)).toEqual([]);
    await deliver([{ deliveryId, attempt: 1 }], { attempts: 4 });
    expect((await deliveryRow(deliveryId))!.status).toBe("delivered");
  });
});

describe("duplicate messages", () => {
  it("a message delivered twice sends once", async () => {
    const { deliveryId, event } = await pendingDelivery({ url: receiverUrl("/ok") });
    await deliver([{ deliveryId, attempt: 1 }]);
    const again = await deliver([{ deliveryId, attempt: 1 }]);
    expect(again.result.explicitAcks).toHaveLength(1);
    expect(await received(event.id)).toHaveLength(1);
  });

  it("two copies in one batch send once: one is made, the other waits and is then dropped", async () => {
    const { deliveryId, event } = await pendingDelivery({ url: receiverUrl("/fail") });
    const { result, sent } = await deliver([
      { deliveryId, attempt: 1 },
      { deliveryId, attempt: 1 },
    ]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(1);
    expect(sent).toHaveLength(1);
    expect(await received(event.id)).toHaveLength(1);
    // The waiting copy comes back after the attempt was recorded: dropped.
    const late = await deliver([{ deliveryId, attempt: 1 }], { attempts: 2 });
    expect(late.result.explicitAcks).toHaveLength(1);
    expect(late.sent).toEqual([]);
    expect(await received(event.id)).toHaveLength(1);
  });

  it("a stale message for an earlier attempt is dropped, and so is one for an attempt already made", async () => {
    const { deliveryId, event } = await pendingDelivery({ url: receiverUrl("/fail") });
    await deliver([{ deliveryId, attempt: 1 }]);
    await deliver([{ deliveryId, attempt: 2 }]);
    for (const attempt of [1, 2]) {
      const { result, sent } = await deliver([{ deliveryId, attempt }]);
      expect(result.explicitAcks).toHaveLength(1);
      expect(sent).toEqual([]);
    }
    expect(await received(event.id)).toHaveLength(2);
  });

  it("a malformed message is acked and logged", async () => {
    const { result } = await deliver([{ deliveryId: "", attempt: 0 }]);
    expect(result.explicitAcks).toHaveLength(1);
  });
});

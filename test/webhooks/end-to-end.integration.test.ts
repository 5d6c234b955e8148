import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { Webhook } from "standardwebhooks";
import { deliveriesOf, insertSubscription, received, receiverUrl, replyEvent, signedHeaders } from "./fixtures.ts";

// Through the real Queues: an event on webhook-events, the Worker's fan-out, webhook-deliveries,
// its delivery consumer, a real fetch (routed to the receiver Worker), the delivery log.
describe("end to end", () => {
  it("an event sent to webhook-events reaches every active subscription, signed, and is logged as delivered", async () => {
    const subscriptions = [await insertSubscription({ url: receiverUrl("/ok") }), await insertSubscription({ url: receiverUrl("/ok") })];
    const event = replyEvent();
    await env.TEST_WEBHOOK_EVENTS.send(event);

    const requests = await vi.waitFor(
      async () => {
        const got = await received(event.id);
        if (got.length < 2) throw new Error(`${got.length} of 2 deliveries received`);
        return got;
      },
      { timeout: 10_000, interval: 50 },
    );
    // Each request verifies with exactly one subscription's secret: one request per subscription.
    const verifiedBy = requests.map((request) =>
      subscriptions.filter(({ secret }) => {
        try {
          new Webhook(secret).verify(request.body, signedHeaders(request));
          return true;
        } catch {
          return false;
        }
      }),
    );
    expect(verifiedBy.map((matches) => matches.length)).toEqual([1, 1]);
    expect(new Set(verifiedBy.map(([match]) => match!.id)).size).toBe(2);
    for (const request of requests) expect(JSON.parse(request.body)).toEqual(event);

    const deliveries = await deliveriesOf(event.id);
    await vi.waitFor(
      async () => {
        const { results } = await env.DB.prepare(
          `SELECT status FROM webhook_deliveries WHERE id IN (${[...deliveries.values()].map(() => "?").join(",")})`,
        )
          .bind(...deliveries.values())
          .all<{ status: string }>();
        expect(results.map((row) => row.status)).toEqual(["delivered", "delivered"]);
      },
      { timeout: 5_000, interval: 50 },
    );
  });
});

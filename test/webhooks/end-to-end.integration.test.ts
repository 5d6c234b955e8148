import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { Webhook } from "standardwebhooks";
import type { ReplyCreatedEvent } from "#shared/events/reply-created.ts";
import { attemptsOf, deliveriesOf, deliveryRow, insertSubscription, received, receiverUrl, replyEvent, signedHeaders } from "./fixtures.ts";

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

/** Polls the receiver until `count` requests to `path` carry reply `replyId`; returns them. */
async function requestsForReply(path: string, replyId: string, count: number) {
  return vi.waitFor(
    async () => {
      const got = (await received()).filter(
        (request) => request.path === path && (JSON.parse(request.body) as ReplyCreatedEvent).data.replyId === replyId,
      );
      if (got.length < count) throw new Error(`${got.length} of ${count} requests for reply ${replyId}`);
      return got;
    },
    { timeout: 10_000, interval: 50 },
  );
}

describe("end to end from the tickets service", () => {
  it("a reply posted to tickets reaches the subscription; a failed delivery retried through the tickets route then succeeds", async () => {
    const subscription = await insertSubscription({ url: receiverUrl("/flaky") });
    const posted = await env.TICKETS.fetch("http://tickets.test/tickets/55e633b9fa7864d21a226052/replies", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: "Ana", message: "Webhooks, end to end" }),
    });
    expect(posted.status).toBe(201);
    const reply = (await posted.json()) as { id: string };

    const [first] = await requestsForReply("/flaky", reply.id, 1);
    const event = new Webhook(subscription.secret).verify(first!.body, signedHeaders(first!)) as ReplyCreatedEvent;
    expect(event).toMatchObject({ type: "reply.created", data: { replyId: reply.id, message: "Webhooks, end to end" } });
    const deliveryId = (await deliveriesOf(event.id)).get(subscription.id)!;
    // The first attempt failed (500); its retry is 5 s away. Retry it now, as an operator would.
    await vi.waitFor(async () => expect((await attemptsOf(deliveryId)).map((a) => a.status_code)).toEqual([500]), { timeout: 5_000, interval: 50 });
    const retried = await env.TICKETS.fetch(`http://tickets.test/subscriptions/${subscription.id}/deliveries/${deliveryId}/retry`, { method: "POST" });
    expect(retried.status).toBe(202);

    const [, second] = await requestsForReply("/flaky", reply.id, 2);
    expect(new Webhook(subscription.secret).verify(second!.body, signedHeaders(second!))).toEqual(event);
    expect(second!.webhook_id).toBe(event.id);
    await vi.waitFor(async () => expect(await deliveryRow(deliveryId)).toMatchObject({ status: "delivered", attempts: 2 }), { timeout: 5_000, interval: 50 });
  });
});

import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DeliveryMessage } from "#shared/webhooks/delivery-message.ts";
import { createTicketsApp } from "../../workers/tickets/src/app.ts";
import worker from "../../workers/tickets/src/index.ts";
import type { DeliveryAttempt } from "../../workers/tickets/src/subscriptions/delivery-log.ts";
import { WEBHOOK_EVENT_RETENTION_MS } from "../../workers/tickets/src/subscriptions/prune-events.ts";
import type { CreatedSubscription } from "../../workers/tickets/src/subscriptions/store.ts";
import { appTarget } from "../support/app-target.ts";
import { getJson, postJson, type ErrorBody } from "../support/http.ts";
import { recordingQueue } from "./recording-queue.ts";
import { call } from "./subscription-client.ts";
import { clearWebhooks, deliveryRow, HOOK, rowCount, storeDelivery, subscriptionRow } from "./webhook-rows.ts";

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

/** The tickets app with a recording (or refusing) WEBHOOK_DELIVERIES. */
function ticketsWithDeliveries(options: { failing?: boolean } = {}) {
  const deliveries = recordingQueue<DeliveryMessage>(options);
  return { ...deliveries, app: appTarget(createTicketsApp(), { ...env, WEBHOOK_DELIVERIES: deliveries.queue }) };
}

let subscription: CreatedSubscription;
beforeEach(async () => {
  subscription = (await postJson<CreatedSubscription>(ticketsWithDeliveries().app, "/subscriptions", { url: HOOK })).body;
});
afterEach(clearWebhooks);

const retryPath = (deliveryId: string, subscriptionId = subscription.id) => `/subscriptions/${subscriptionId}/deliveries/${deliveryId}/retry`;
const setCounts = (delivered: number, failed: number) =>
  env.DB.prepare("UPDATE webhook_subscriptions SET delivered_count = ?1, failed_count = ?2 WHERE id = ?3").bind(delivered, failed, subscription.id).run();

describe("GET /subscriptions/:id/deliveries", () => {
  it("lists attempts newest first with the delivery's status, and a delivery not attempted yet as attempt 0", async () => {
    await storeDelivery({
      id: "d-retried",
      subscriptionId: subscription.id,
      eventId: "e1",
      status: "delivered",
      createdAt: T0,
      log: [
        { attempt: 1, statusCode: 500, durationMs: 40, nextAttemptAt: T0 + 5_000, createdAt: T0 + 10 },
        { attempt: 2, statusCode: 204, durationMs: 30, createdAt: T0 + 5_010 },
      ],
    });
    await storeDelivery({ id: "d-failing", subscriptionId: subscription.id, eventId: "e2", createdAt: T0 + 1_000, nextAttemptAt: T0 + 301_000, log: [{ attempt: 1, error: "timeout after 15 s", durationMs: 15_000, nextAttemptAt: T0 + 301_000, createdAt: T0 + 1_000 }] });
    await storeDelivery({ id: "d-queued", subscriptionId: subscription.id, eventId: "e3", createdAt: T0 + 6_000 });

    const { res, body } = await getJson<DeliveryAttempt[]>(ticketsWithDeliveries().app, `/subscriptions/${subscription.id}/deliveries`);
    expect(res.status).toBe(200);
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(body).toEqual([
      { deliveryId: "d-queued", eventId: "e3", attempt: 0, status: "pending", statusCode: null, error: null, durationMs: null, nextAttemptAt: null, createdAt: iso(T0 + 6_000) },
      { deliveryId: "d-retried", eventId: "e1", attempt: 2, status: "delivered", statusCode: 204, error: null, durationMs: 30, nextAttemptAt: null, createdAt: iso(T0 + 5_010) },
      { deliveryId: "d-failing", eventId: "e2", attempt: 1, status: "pending", statusCode: null, error: "timeout after 15 s", durationMs: 15_000, nextAttemptAt: iso(T0 + 301_000), createdAt: iso(T0 + 1_000) },
      { deliveryId: "d-retried", eventId: "e1", attempt: 1, status: "delivered", statusCode: 500, error: null, durationMs: 40, nextAttemptAt: iso(T0 + 5_000), createdAt: iso(T0 + 10) },
    ]);
    const two = await getJson<DeliveryAttempt[]>(ticketsWithDeliveries().app, `/subscriptions/${subscription.id}/deliveries?limit=2`);
    expect(two.body.map((line) => [line.deliveryId, line.attempt])).toEqual([["d-queued", 0], ["d-retried", 2]]);
  });

  it("lists only that subscription's deliveries, and refuses a bad limit", async () => {
    const other = (await postJson<CreatedSubscription>(ticketsWithDeliveries().app, "/subscriptions", { url: `${HOOK}/2` })).body;
    await storeDelivery({ id: "theirs", subscriptionId: other.id });
    const { app } = ticketsWithDeliveries();
    expect((await getJson<DeliveryAttempt[]>(app, `/subscriptions/${subscription.id}/deliveries`)).body).toEqual([]);
    for (const limit of ["0", "101", "ten"]) {
      const { res, body } = await getJson<ErrorBody>(app, `/subscriptions/${subscription.id}/deliveries?limit=${limit}`);
      expect(res.status).toBe(400);
      expect(body.error.details).toEqual([{ path: "limit", message: "must be a whole number from 1 to 100" }]);
    }
  });
});

describe("POST /subscriptions/:id/deliveries/:deliveryId/retry", () => {
  it.each([
    ["failed", 2, 3, { delivered: 2, failed: 2 }],
    ["delivered", 2, 3, { delivered: 1, failed: 3 }],
  ] as const)("a %s delivery becomes pending, its next attempt is queued now, and it leaves its count", async (status, delivered, failed, counts) => {
    await setCounts(delivered, failed);
    await storeDelivery({ id: "d1", subscriptionId: subscription.id, status, attempts: 8 });
    const { app, sent } = ticketsWithDeliveries();
    const before = Date.now();
    const { res, body } = await call(app, "POST", retryPath("d1"));
    expect(res.status).toBe(202);
    expect(body).toEqual({ deliveryId: "d1", attempt: 9 });
    expect(sent).toEqual([{ deliveryId: "d1", attempt: 9 }]);
    const row = await deliveryRow("d1");
    expect(row).toMatchObject({ status: "pending", attempts: 8 });
    expect(row?.nextAttemptAt).toBeGreaterThanOrEqual(before);
    expect(await subscriptionRow(subscription.id)).toMatchObject({ deliveredCount: counts.delivered, failedCount: counts.failed });
  });

  it("a pending delivery gets its next attempt now (the scheduled one becomes a duplicate); counts stay", async () => {
    await setCounts(1, 1);
    await storeDelivery({ id: "d1", subscriptionId: subscription.id, attempts: 2, nextAttemptAt: Date.now() + 1_800_000 });
    const { app, sent } = ticketsWithDeliveries();
    expect((await call(app, "POST", retryPath("d1"))).res.status).toBe(202);
    expect(sent).toEqual([{ deliveryId: "d1", attempt: 3 }]);
    expect((await deliveryRow("d1"))?.nextAttemptAt).toBeLessThanOrEqual(Date.now());
    expect(await subscriptionRow(subscription.id)).toMatchObject({ deliveredCount: 1, failedCount: 1 });
  });

  it("is a 409 while an attempt is in progress (leased), and sends nothing", async () => {
    await storeDelivery({ id: "d1", subscriptionId: subscription.id, status: "pending", attempts: 1, leaseUntil: Date.now() + 20_000 });
    const { app, sent } = ticketsWithDeliveries();
    const { res, body } = await call<ErrorBody>(app, "POST", retryPath("d1"));
    expect(res.status).toBe(409);
    expect(body.error.code).toBe("delivery_in_progress");
    expect(sent).toEqual([]);
    expect(await deliveryRow("d1")).toMatchObject({ status: "pending", attempts: 1 });
  });

  it("after an expired lease (its attempt died), retries", async () => {
    await storeDelivery({ id: "d1", subscriptionId: subscription.id, attempts: 1, leaseUntil: Date.now() - 1 });
    const { app, sent } = ticketsWithDeliveries();
    expect((await call(app, "POST", retryPath("d1"))).res.status).toBe(202);
    expect(sent).toEqual([{ deliveryId: "d1", attempt: 2 }]);
  });

  it("is a 503 with Retry-After when the Queue refuses, and puts the delivery and counts back", async () => {
    await setCounts(0, 4);
    await storeDelivery({ id: "d1", subscriptionId: subscription.id, status: "failed", attempts: 8 });
    const { app } = ticketsWithDeliveries({ failing: true });
    const { res, body } = await call<ErrorBody>(app, "POST", retryPath("d1"));
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(body.error.code).toBe("queue_unavailable");
    expect(await deliveryRow("d1")).toEqual({ status: "failed", attempts: 8, nextAttemptAt: null, leaseUntil: null });
    expect(await subscriptionRow(subscription.id)).toMatchObject({ deliveredCount: 0, failedCount: 4 });
  });

  it("is a 409 for a disabled subscription: its deliveries are not sent", async () => {
    await env.DB.prepare("UPDATE webhook_subscriptions SET status = 'disabled', disabled_reason = 'gone' WHERE id = ?1").bind(subscription.id).run();
    await storeDelivery({ id: "d1", subscriptionId: subscription.id, status: "failed", attempts: 8 });
    const { app, sent } = ticketsWithDeliveries();
    const { res, body } = await call<ErrorBody>(app, "POST", retryPath("d1"));
    expect([res.status, body.error.code]).toEqual([409, "subscription_disabled"]);
    expect(sent).toEqual([]);
  });

  it("is a 404 for an unknown delivery, or one of another subscription, and a 400 for a malformed delivery id", async () => {
    const other = (await postJson<CreatedSubscription>(ticketsWithDeliveries().app, "/subscriptions", { url: `${HOOK}/2` })).body;
    await storeDelivery({ id: "theirs", subscriptionId: other.id });
    const { app, sent } = ticketsWithDeliveries();
    for (const deliveryId of ["nope", "theirs"]) {
      const { res, body } = await call<ErrorBody>(app, "POST", retryPath(deliveryId));
      expect(res.status).toBe(404);
      expect(body.error).toEqual({ code: "not_found", message: `delivery ${deliveryId} of subscription ${subscription.id} not found` });
    }
    const malformed = await call<ErrorBody>(app, "POST", retryPath("d".repeat(65)));
    expect(malformed.res.status).toBe(400);
    expect(malformed.body.error.details).toEqual([{ path: "deliveryId", message: "must be 1 to 64 letters, digits, - or _" }]);
    expect(sent).toEqual([]);
  });
});

describe("housekeeping", () => {
  it("prunes webhook events older than 7 days with their deliveries and attempts, and logs it", async () => {
    const now = Date.now();
    const old = now - WEBHOOK_EVENT_RETENTION_MS - 1_000;
    await storeDelivery({ id: "old", subscriptionId: subscription.id, eventId: "old-event", status: "delivered", createdAt: old, log: [{ attempt: 1, statusCode: 200, createdAt: old }] });
    await storeDelivery({ id: "young", subscriptionId: subscription.id, eventId: "young-event", createdAt: now - 1_000 });
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    await worker.scheduled(createScheduledController({ cron: "* * * * *" }), env);
    const line = log.mock.calls.map(([text]) => JSON.parse(String(text)) as Record<string, unknown>).find((entry) => entry.event === "tickets.housekeeping");
    log.mockRestore();
    // D1 counts the cascaded rows: the event, its delivery and its attempt.
    expect(line).toMatchObject({ prunedWebhookEvents: { pruned: 3, more: false } });
    const { results } = await env.DB.prepare("SELECT id FROM webhook_deliveries").all<{ id: string }>();
    expect(results).toEqual([{ id: "young" }]);
    expect(await rowCount("webhook_events")).toBe(1);
    expect(await rowCount("webhook_attempts")).toBe(0);
  });
});

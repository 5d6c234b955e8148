import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { MAX_DELAY_SECONDS } from "#shared/webhooks/retry-schedule.ts";
import { attemptsOf, deliver, deliveryRow, pendingDelivery, received, receiverUrl, subscriptionRow } from "./fixtures.ts";

describe("an attempt's outcome", () => {
  it("a 2xx delivers: the attempt logged, the delivery delivered, the subscription counted, nothing more queued", async () => {
    const { deliveryId, subscription } = await pendingDelivery({ url: receiverUrl("/ok") });
    const { batch, result, sent } = await deliver([{ deliveryId, attempt: 1 }]);
    expect(result.explicitAcks).toEqual([batch.messages[0]!.id]);
    expect(sent).toEqual([]);
    expect(await deliveryRow(deliveryId)).toMatchObject({ status: "delivered", attempts: 1, lease_until: null, next_attempt_at: null });
    expect(await attemptsOf(deliveryId)).toEqual([expect.objectContaining({ attempt: 1, status_code: 200, error: null, response_body: "ok", next_attempt_at: null })]);
    expect(await subscriptionRow(subscription.id)).toMatchObject({ status: "active", delivered_count: 1, failed_count: 0, failing_since: null, last_delivery_at: expect.any(Number) });
  });

  it("follows the schedule through 8 attempts (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), then fails the delivery", async () => {
    const { deliveryId, subscription } = await pendingDelivery({ url: receiverUrl("/fail") });
    const delays: (number | undefined)[] = [];
    for (let attempt = 1; attempt <= 8; attempt++) {
      const { result, sent } = await deliver([{ deliveryId, attempt }]);
      expect(result.explicitAcks).toHaveLength(1);
      if (attempt < 8) expect(sent.map(({ body }) => body)).toEqual([{ deliveryId, attempt: attempt + 1 }]);
      else expect(sent).toEqual([]);
      delays.push(...sent.map(({ delaySeconds }) => delaySeconds));
      const row = await deliveryRow(deliveryId);
      expect(row).toMatchObject({ attempts: attempt, lease_until: null, status: attempt < 8 ? "pending" : "failed" });
    }
    expect(delays).toEqual([5, 300, 1_800, 7_200, 18_000, 36_000, 36_000]);
    const attempts = await attemptsOf(deliveryId);
    expect(attempts.map((a) => [a.attempt, a.status_code, a.error])).toEqual(
      Array.from({ length: 8 }, (_, n) => [n + 1, 500, "receiver answered 500"]),
    );
    // Each logged attempt says when the next is due: its delay after the attempt.
    expect(attempts.slice(0, 7).map((a) => (a.next_attempt_at! - a.created_at) / 1000)).toEqual([5, 300, 1_800, 7_200, 18_000, 36_000, 36_000]);
    expect(attempts[7]!.next_attempt_at).toBeNull();
    expect(await subscriptionRow(subscription.id)).toMatchObject({ status: "active", delivered_count: 0, failed_count: 1, failing_since: expect.any(Number) });
  });

  it("a retry that succeeds delivers, and clears the subscription's failing streak", async () => {
    const { deliveryId, subscription } = await pendingDelivery({ url: receiverUrl("/flaky") });
    await deliver([{ deliveryId, attempt: 1 }]);
    expect((await subscriptionRow(subscription.id))!.failing_since).toEqual(expect.any(Number));
    await deliver([{ deliveryId, attempt: 2 }]);
    expect(await deliveryRow(deliveryId)).toMatchObject({ status: "delivered", attempts: 2 });
    expect((await attemptsOf(deliveryId)).map((a) => a.status_code)).toEqual([500, 200]);
    expect(await subscriptionRow(subscription.id)).toMatchObject({ delivered_count: 1, failed_count: 0, failing_since: null });
  });

  it("honours Retry-After on a 429 or a 503, no sooner than it asks, capped at 12 hours", async () => {
    const cases: [string, number][] = [
      ["/busy?after=600", 600],
      ["/busy?status=503&after=120", 120],
      ["/busy?after=2", 5], // sooner than the schedule: the schedule wins
      ["/busy?after=999999", MAX_DELAY_SECONDS],
      [`/busy?status=503&after=${encodeURIComponent(new Date(Date.now() + 3_600_000).toUTCString())}`, 3_600],
    ];
    for (const [path, expected] of cases) {
      const { deliveryId } = await pendingDelivery({ url: receiverUrl(path) });
      const { sent } = await deliver([{ deliveryId, attempt: 1 }]);
      expect(sent).toHaveLength(1);
      // An HTTP date is read against the clock: allow the second it may have ticked.
      expect(sent[0]!.delaySeconds! - expected, path).toBeLessThanOrEqual(0);
      expect(sent[0]!.delaySeconds! - expected, path).toBeGreaterThanOrEqual(path.includes("GMT") ? -2 : 0);
    }
  });

  it("a 3xx fails and is not followed", async () => {
    const { deliveryId, event } = await pendingDelivery({ url: receiverUrl("/redirect") });
    const { sent } = await deliver([{ deliveryId, attempt: 1 }]);
    expect((await received(event.id)).map((request) => request.path)).toEqual(["/redirect"]);
    expect(await attemptsOf(deliveryId)).toEqual([
      expect.objectContaining({ status_code: 302, error: "redirect (302 to https://hooks.example.com/ok) not followed" }),
    ]);
    expect(sent.map(({ delaySeconds }) => delaySeconds)).toEqual([5]);
    expect((await deliveryRow(deliveryId))!.status).toBe("pending");
  });

  it("410 Gone fails the delivery and disables the subscription at once, saying why", async () => {
    const { deliveryId, subscription } = await pendingDelivery({ url: receiverUrl("/gone") });
    const { sent } = await deliver([{ deliveryId, attempt: 1 }]);
    expect(sent).toEqual([]);
    expect((await deliveryRow(deliveryId))!.status).toBe("failed");
    const row = await subscriptionRow(subscription.id);
    expect(row).toMatchObject({ status: "disabled", failed_count: 1 });
    expect(row!.disabled_reason).toMatch(/^The receiver answered 410 Gone at .+, asking for no more deliveries\.$/);
  });

  it("a receiver slower than WEBHOOK_TIMEOUT_MS fails with a timeout", async () => {
    const { deliveryId } = await pendingDelivery({ url: receiverUrl("/slow?ms=3000") });
    const { sent } = await deliver([{ deliveryId, attempt: 1 }], { env: { WEBHOOK_TIMEOUT_MS: "50" } });
    expect(await attemptsOf(deliveryId)).toEqual([expect.objectContaining({ status_code: null, error: "timeout: no answer within 50 ms" })]);
    expect(sent.map(({ delaySeconds }) => delaySeconds)).toEqual([5]);
  });

  it("keeps at most 1 KB of the answer", async () => {
    const { deliveryId } = await pendingDelivery({ url: receiverUrl("/huge") });
    await deliver([{ deliveryId, attempt: 1 }]);
    expect((await attemptsOf(deliveryId))[0]!.response_body).toBe("x".repeat(1024));
  });

  it("a URL the guard refuses now fails at once: nothing is sent, no retry", async () => {
    const { deliveryId, event } = await pendingDelivery({ url: "https://169.254.169.254/latest/meta-data/" });
    const { sent } = await deliver([{ deliveryId, attempt: 1 }]);
    expect(sent).toEqual([]);
    expect(await received(event.id)).toEqual([]);
    expect((await deliveryRow(deliveryId))!.status).toBe("failed");
    expect((await attemptsOf(deliveryId))[0]!.error).toBe(
      "url refused: The URL names the cloud metadata (link-local) address 169.254.169.254; use a public host name instead.",
    );
  });

  it("an allow-listed local receiver may use plain http; without the allow-list it is refused", async () => {
    // The project's own empty WEBHOOK_ALLOWED_HOSTS wins over a local .dev.vars (npm start writes one).
    const refused = await pendingDelivery({ url: "http://127.0.0.1:9000/ok" });
    await deliver([{ deliveryId: refused.deliveryId, attempt: 1 }]);
    expect((await attemptsOf(refused.deliveryId))[0]!.error).toBe("url refused: The URL must use https (it uses http).");
    const { deliveryId, event } = await pendingDelivery({ url: "http://127.0.0.1:9000/ok" });
    await deliver([{ deliveryId, attempt: 1 }], { env: { WEBHOOK_ALLOWED_HOSTS: "127.0.0.1,localhost" } });
    expect((await deliveryRow(deliveryId))!.status).toBe("delivered");
    expect((await received(event.id)).map((request) => request.path)).toEqual(["/ok"]);
  });

  it("a manual retry after the last attempt makes attempt 9, and its failure is final", async () => {
    const { deliveryId } = await pendingDelivery({ url: receiverUrl("/fail") });
    // What the tickets service's retry route does to a failed delivery after 8 attempts.
    await env.DB.prepare("UPDATE webhook_deliveries SET status = 'pending', attempts = 8 WHERE id = ?1").bind(deliveryId).run();
    const { sent } = await deliver([{ deliveryId, attempt: 9 }]);
    expect(sent).toEqual([]);
    expect(await deliveryRow(deliveryId)).toMatchObject({ status: "failed", attempts: 9 });
  });
});

describe("the failing-for-too-long rule", () => {
  const hoursAgo = (hours: number) => Date.now() - hours * 3_600_000;

  it("disables a subscription failing for WEBHOOK_DISABLE_AFTER_HOURS (120) at its next failed attempt", async () => {
    const { deliveryId, subscription } = await pendingDelivery({ url: receiverUrl("/fail"), failingSince: hoursAgo(121) });
    const { sent } = await deliver([{ deliveryId, attempt: 1 }]);
    expect(sent).toEqual([]);
    expect((await deliveryRow(deliveryId))!.status).toBe("failed");
    const row = await subscriptionRow(subscription.id);
    expect(row).toMatchObject({ status: "disabled", failed_count: 1 });
    expect(row!.disabled_reason).toMatch(/^Every delivery attempt failed for 121 hours \(since .+\); subscriptions are disabled after 120 hours without a success\.$/);
  });

  it("leaves one failing for less, and one that succeeds now", async () => {
    const young = await pendingDelivery({ url: receiverUrl("/fail"), failingSince: hoursAgo(119) });
    await deliver([{ deliveryId: young.deliveryId, attempt: 1 }]);
    expect((await subscriptionRow(young.subscription.id))!.status).toBe("active");
    const healed = await pendingDelivery({ url: receiverUrl("/ok"), failingSince: hoursAgo(200) });
    await deliver([{ deliveryId: healed.deliveryId, attempt: 1 }]);
    expect(await subscriptionRow(healed.subscription.id)).toMatchObject({ status: "active", failing_since: null });
  });

  it("reads the limit from the Worker's var", async () => {
    const { subscription, deliveryId } = await pendingDelivery({ url: receiverUrl("/fail"), failingSince: hoursAgo(2) });
    await deliver([{ deliveryId, attempt: 1 }], { env: { WEBHOOK_DISABLE_AFTER_HOURS: "1" } });
    expect((await subscriptionRow(subscription.id))!.status).toBe("disabled");
  });
});

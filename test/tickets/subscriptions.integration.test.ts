import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { secretKeyBytes } from "#shared/webhooks/secret.ts";
import { NEXT_CURSOR_HEADER } from "../../workers/tickets/src/routes/page.ts";
import { MAX_SUBSCRIPTIONS, PREVIOUS_SECRET_TTL_MS, type CreatedSubscription, type Subscription } from "../../workers/tickets/src/subscriptions/store.ts";
import { getJson, postJson, workerUnderTest, type ErrorBody } from "../support/http.ts";
import { call } from "./subscription-client.ts";
import { clearWebhooks, HOOK, rowCount, storeDelivery, subscriptionRow } from "./webhook-rows.ts";

const v100 = workerUnderTest();
const v101 = env.TICKETS_V1_0_1;

const subscribe = (body: unknown, target = v100, headers: Record<string, string> = {}) =>
  postJson<CreatedSubscription>(target, "/subscriptions", body, headers);

/** What every subscription answer but creation and rotation shows: no secret. */
const READ_FIELDS = ["createdAt", "deliveredCount", "description", "disabledReason", "failedCount", "id", "lastDeliveryAt", "status", "url"];

afterEach(clearWebhooks);

describe("POST /subscriptions", () => {
  it("creates an active subscription and shows its secret (whsec_ and 32 random bytes) once", async () => {
    const { res, body } = await subscribe({ url: HOOK, description: "CRM sync" });
    expect(res.status).toBe(201);
    expect(body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      url: HOOK,
      description: "CRM sync",
      status: "active",
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]+={0,2}$/),
      createdAt: expect.any(String),
    });
    expect(secretKeyBytes(body.secret)).toHaveLength(32);
    expect((await subscriptionRow(body.id))?.secret).toBe(body.secret);

    const read = await getJson<Subscription>(v100, `/subscriptions/${body.id}`);
    expect(Object.keys(read.body).sort()).toEqual(READ_FIELDS);
    expect(read.body).toEqual({
      id: body.id,
      url: HOOK,
      description: "CRM sync",
      status: "active",
      disabledReason: null,
      createdAt: body.createdAt,
      deliveredCount: 0,
      failedCount: 0,
      lastDeliveryAt: null,
    });
    const list = await getJson<Subscription[]>(v100, "/subscriptions");
    expect(JSON.stringify(list.body)).not.toContain(body.secret);
  });

  it("gives every subscription its own secret, and stores the URL as the guard normalized it", async () => {
    const [a, b] = [await subscribe({ url: "HTTPS://Hooks.Example.com:443/a" }), await subscribe({ url: HOOK })];
    expect(a.body.url).toBe("https://hooks.example.com/a");
    expect(a.body.description).toBeNull();
    expect(a.body.secret).not.toBe(b.body.secret);
  });

  it("repeated with the same Idempotency-Key creates one subscription and answers the same secret", async () => {
    const headers = { "idempotency-key": "subscribe-once" };
    const first = await subscribe({ url: HOOK }, v100, headers);
    const again = await subscribe({ url: HOOK }, v101, headers);
    expect(again.res.status).toBe(201);
    expect(again.res.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    expect(await rowCount("webhook_subscriptions")).toBe(1);
  });

  it(`refuses a subscription past ${MAX_SUBSCRIPTIONS} with a 409, and takes one again once one is deleted`, async () => {
    const now = new Date().toISOString();
    await env.DB.batch(
      Array.from({ length: MAX_SUBSCRIPTIONS }, (_, n) =>
        env.DB.prepare("INSERT INTO webhook_subscriptions (id, url, secret, created_at) VALUES (?1, ?2, 'whsec_x', ?3)").bind(
          `ca${String(n).padStart(22, "0")}`,
          `${HOOK}/${n}`,
          now,
        ),
      ),
    );
    const over = await postJson<ErrorBody>(v100, "/subscriptions", { url: HOOK }, { "idempotency-key": "over-the-cap" });
    expect(over.res.status).toBe(409);
    expect(over.body.error).toEqual({ code: "subscription_limit_reached", message: `at most ${MAX_SUBSCRIPTIONS} subscriptions may exist: delete one first` });
    expect(await rowCount("webhook_subscriptions")).toBe(MAX_SUBSCRIPTIONS);

    expect((await call(v100, "DELETE", `/subscriptions/ca${"0".repeat(22)}`)).res.status).toBe(204);
    // The refused key stored nothing: the same request now succeeds.
    const retried = await subscribe({ url: HOOK }, v100, { "idempotency-key": "over-the-cap" });
    expect(retried.res.status).toBe(201);
    expect(retried.res.headers.get("idempotent-replayed")).toBeNull();
  });

  it("accepts a description of 200 characters and refuses 201", async () => {
    expect((await subscribe({ url: HOOK, description: "d".repeat(200) })).res.status).toBe(201);
    const long = await postJson<ErrorBody>(v100, "/subscriptions", { url: HOOK, description: "d".repeat(201) });
    expect(long.res.status).toBe(400);
    expect(long.body.error.details).toEqual([{ path: "description", message: "must be at most 200 characters" }]);
  });
});

describe("GET /subscriptions", () => {
  it("pages oldest first with the cursor in x-next-cursor", async () => {
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) ids.push((await subscribe({ url: `${HOOK}/${n}` })).body.id);
    const seen: string[] = [];
    let path = "/subscriptions?limit=2";
    for (let page = 0; page < 5; page++) {
      const { res, body } = await getJson<Subscription[]>(v100, path);
      expect(res.status).toBe(200);
      seen.push(...body.map((s) => s.id));
      const cursor = res.headers.get(NEXT_CURSOR_HEADER);
      if (!cursor) break;
      path = `/subscriptions?limit=2&cursor=${encodeURIComponent(cursor)}`;
    }
    expect(seen).toEqual(ids);
  });
});

describe("both tickets versions", () => {
  it("see the same subscriptions: created through 1.0.0, read, listed, rotated and deleted through 1.0.1", async () => {
    const { body: created } = await subscribe({ url: HOOK }, v100);
    expect((await getJson<Subscription>(v101, `/subscriptions/${created.id}`)).body.url).toBe(HOOK);
    expect((await getJson<Subscription[]>(v101, "/subscriptions")).body.map((s) => s.id)).toEqual([created.id]);
    expect((await call(v101, "POST", `/subscriptions/${created.id}/rotate-secret`)).res.status).toBe(200);
    expect((await call(v101, "DELETE", `/subscriptions/${created.id}`)).res.status).toBe(204);
    expect((await getJson(v100, `/subscriptions/${created.id}`)).res.status).toBe(404);
  });
});

describe("DELETE /subscriptions/:id", () => {
  it("removes the subscription and every delivery of it, queued or waiting for a retry, with their attempts", async () => {
    const { body: doomed } = await subscribe({ url: HOOK });
    const { body: kept } = await subscribe({ url: `${HOOK}/kept` });
    const now = Date.now();
    await storeDelivery({ id: "queued", subscriptionId: doomed.id, eventId: "e1" });
    await storeDelivery({ id: "waiting", subscriptionId: doomed.id, eventId: "e2", nextAttemptAt: now + 300_000, log: [{ attempt: 1, statusCode: 500, createdAt: now }] });
    await storeDelivery({ id: "other", subscriptionId: kept.id, eventId: "e1" });

    const { res, body } = await call(v100, "DELETE", `/subscriptions/${doomed.id}`);
    expect([res.status, body]).toEqual([204, null]);
    const { results } = await env.DB.prepare("SELECT id FROM webhook_deliveries").all<{ id: string }>();
    expect(results.map((row) => row.id)).toEqual(["other"]);
    expect(await rowCount("webhook_attempts")).toBe(0);
    // The events stay: other subscriptions' deliveries of them go on.
    expect(await rowCount("webhook_events")).toBe(2);

    expect((await call(v100, "DELETE", `/subscriptions/${doomed.id}`)).res.status).toBe(404);
  });
});

describe("the original's routes", () => {
  it("POST /tickets/subscribeToComments creates a subscription, with its secret", async () => {
    const { res, body } = await postJson<CreatedSubscription>(v100, "/tickets/subscribeToComments", { url: HOOK });
    expect(res.status).toBe(201);
    expect(body).toMatchObject({ url: HOOK, status: "active", secret: expect.stringMatching(/^whsec_/) });
    expect((await getJson(v101, `/subscriptions/${body.id}`)).res.status).toBe(200);
  });

  it("POST /tickets/unsubscribeToComments removes every subscription to that URL and their queued deliveries, and only those", async () => {
    const [a, b] = [await subscribe({ url: HOOK }), await postJson<CreatedSubscription>(v101, "/tickets/subscribeToComments", { url: HOOK })];
    const { body: other } = await subscribe({ url: `${HOOK}/other` });
    await storeDelivery({ id: "to-a", subscriptionId: a.body.id, eventId: "e1" });
    await storeDelivery({ id: "to-b", subscriptionId: b.body.id, eventId: "e1", log: [{ attempt: 1, error: "timeout", createdAt: Date.now() }] });

    // As the client wrote it, not as stored: the guard's normal form matches.
    const { res, body } = await call(v101, "POST", "/tickets/unsubscribeToComments", { url: "HTTPS://hooks.example.com/tickets" });
    expect([res.status, body]).toEqual([204, null]);
    expect((await getJson<Subscription[]>(v100, "/subscriptions")).body.map((s) => s.id)).toEqual([other.id]);
    expect(await rowCount("webhook_deliveries")).toBe(0);

    const again = await call<ErrorBody>(v100, "POST", "/tickets/unsubscribeToComments", { url: HOOK });
    expect(again.res.status).toBe(404);
    expect(again.body.error).toEqual({ code: "not_found", message: "no subscription to that url" });
  });

  it("POST /tickets/unsubscribeToComments without a url is a 400", async () => {
    const { res, body } = await postJson<ErrorBody>(v100, "/tickets/unsubscribeToComments", {});
    expect(res.status).toBe(400);
    expect(body.error.details).toEqual([{ path: "url", message: "required" }]);
  });
});

describe("POST /subscriptions/:id/rotate-secret", () => {
  it("answers a new secret and keeps the old one signing for 24 hours", async () => {
    const { body: created } = await subscribe({ url: HOOK });
    const before = Date.now();
    const { res, body } = await call<{ id: string; secret: string; previousSecretExpiresAt: string }>(v100, "POST", `/subscriptions/${created.id}/rotate-secret`);
    expect(res.status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(["id", "previousSecretExpiresAt", "secret"]);
    expect(body.id).toBe(created.id);
    expect(body.secret).toMatch(/^whsec_/);
    expect(body.secret).not.toBe(created.secret);
    const expiresAt = Date.parse(body.previousSecretExpiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + PREVIOUS_SECRET_TTL_MS);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + PREVIOUS_SECRET_TTL_MS);
    expect(await subscriptionRow(created.id)).toMatchObject({ secret: body.secret, previousSecret: created.secret, previousSecretExpiresAt: expiresAt });
    // The secret is still never read back.
    expect(JSON.stringify((await getJson(v100, `/subscriptions/${created.id}`)).body)).not.toContain("whsec_");
  });

  it("repeated with the same Idempotency-Key rotates once and answers the same secret", async () => {
    const { body: created } = await subscribe({ url: HOOK });
    const headers = { "idempotency-key": "rotate-once" };
    const first = await call<{ secret: string }>(v100, "POST", `/subscriptions/${created.id}/rotate-secret`, undefined, headers);
    const again = await call<{ secret: string }>(v101, "POST", `/subscriptions/${created.id}/rotate-secret`, undefined, headers);
    expect(again.res.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    // The secret the client was given still signs beside the new one.
    expect(await subscriptionRow(created.id)).toMatchObject({ secret: first.body.secret, previousSecret: created.secret });
  });
});

describe("POST /subscriptions/:id/enable", () => {
  it("re-enables a disabled subscription and forgets why it was disabled and since when it failed", async () => {
    const { body: created } = await subscribe({ url: HOOK });
    await env.DB.prepare("UPDATE webhook_subscriptions SET status = 'disabled', disabled_reason = 'receiver answered 410 Gone', failing_since = ?2 WHERE id = ?1")
      .bind(created.id, Date.now() - 1_000)
      .run();
    expect((await getJson<Subscription>(v100, `/subscriptions/${created.id}`)).body).toMatchObject({ status: "disabled", disabledReason: "receiver answered 410 Gone" });

    const { res, body } = await call<Subscription>(v101, "POST", `/subscriptions/${created.id}/enable`);
    expect(res.status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(READ_FIELDS);
    expect(body).toMatchObject({ id: created.id, status: "active", disabledReason: null });
    expect(await subscriptionRow(created.id)).toMatchObject({ status: "active", disabledReason: null, failingSince: null });
  });
});

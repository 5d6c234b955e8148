import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { createGatewayApp } from "../../workers/gateway/src/app.ts";
import type { CreatedSubscription, Subscription } from "../../workers/tickets/src/subscriptions/store.ts";
import { appTarget } from "../support/app-target.ts";
import { getJson, workerUnderTest, type ErrorBody, type FetchTarget } from "../support/http.ts";
import { call } from "../tickets/subscription-client.ts";
import { recordingBinding } from "./recording-binding.ts";

const gateway = workerUnderTest();
const HOOK = "https://hooks.example.com/gateway";
const TOKEN = env.SUBSCRIPTIONS_TOKEN;
const bearer = (token = TOKEN) => ({ authorization: `Bearer ${token}` });
const SOME_ID = "0123456789abcdef01234567";

/** Every route that manages subscriptions, with a body where it takes one. */
const MANAGEMENT_ROUTES: [method: string, path: string, body?: unknown][] = [
  ["POST", "/subscriptions", { url: HOOK }],
  ["GET", "/subscriptions"],
  ["GET", `/subscriptions/${SOME_ID}`],
  ["DELETE", `/subscriptions/${SOME_ID}`],
  ["POST", `/subscriptions/${SOME_ID}/rotate-secret`],
  ["POST", `/subscriptions/${SOME_ID}/enable`],
  ["GET", `/subscriptions/${SOME_ID}/deliveries`],
  ["POST", `/subscriptions/${SOME_ID}/deliveries/d1/retry`],
  ["POST", "/tickets/subscribeToComments", { url: HOOK }],
  ["POST", "/tickets/unsubscribeToComments", { url: HOOK }],
];

/** A gateway whose tickets versions record what reaches them (and answer as the real ones). */
function recordedGateway(overrides: Partial<Env> = {}) {
  const v101 = recordingBinding((request) => env.TICKETS_V1_0_1.fetch(request));
  const v100 = recordingBinding((request) => env.TICKETS_V1_0_0.fetch(request));
  const target = appTarget(createGatewayApp(), { ...env, TICKETS_V1_0_1: v101.binding, TICKETS_V1_0_0: v100.binding, ...overrides });
  return { target, reached: () => [...v101.requests, ...v100.requests] };
}

/**
 * `call` from a client address of its own: this file sends more writes than the write limit's
 * budget for one address (test/gateway/rate-limit covers the limit).
 */
let clients = 0;
const manage = <T = unknown>(target: FetchTarget, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  call<T>(target, method, path, body, { "cf-connecting-ip": `2001:db8:5b:${(++clients).toString(16)}::1`, ...headers });

afterEach(async () => {
  await env.DB.batch([env.DB.prepare("DELETE FROM webhook_subscriptions"), env.DB.prepare("DELETE FROM webhook_events")]);
});

describe("the subscription routes need the bearer token", () => {
  const refusals: [what: string, headers: Record<string, string>][] = [
    ["no Authorization", {}],
    ["a wrong token of the same length", bearer("x".repeat(TOKEN.length))],
    ["a wrong token of another length", bearer(`${TOKEN}x`)],
    ["a prefix of the token", bearer(TOKEN.slice(0, -1))],
    ["another scheme", { authorization: `Basic ${btoa(`admin:${TOKEN}`)}` }],
    ["Bearer without a token", { authorization: "Bearer " }],
  ];
  it.each(MANAGEMENT_ROUTES)("%s %s: 401 with WWW-Authenticate, and nothing reaches tickets", async (method, path, body) => {
    for (const [what, headers] of refusals) {
      const { target, reached } = recordedGateway();
      const { res, body: answer } = await manage<ErrorBody>(target, method, path, body, headers);
      expect(res.status, what).toBe(401);
      expect(res.headers.get("www-authenticate"), what).toMatch(/^Bearer\b/);
      expect(res.headers.get("content-type"), what).toMatch(/^application\/json/);
      expect(answer.error.code, what).toBe("unauthorized");
      expect(reached(), what).toEqual([]);
    }
  });

  it.each(["", undefined])("refuses every request when SUBSCRIPTIONS_TOKEN is %j: never open", async (token) => {
    for (const [method, path, body] of MANAGEMENT_ROUTES) {
      const { target, reached } = recordedGateway({ SUBSCRIPTIONS_TOKEN: token as string });
      for (const headers of [{}, bearer(""), bearer("undefined")]) {
        const { res, body: answer } = await manage<ErrorBody>(target, method, path, body, headers);
        expect(res.status).toBe(401);
        expect(answer.error.message).toBe("subscription management is disabled: the gateway has no SUBSCRIPTIONS_TOKEN");
      }
      expect(reached()).toEqual([]);
    }
  });

  it("takes the scheme in any case, and does not pass the Authorization header on to tickets", async () => {
    const { target, reached } = recordedGateway();
    const { res } = await manage(target, "GET", "/subscriptions", undefined, { authorization: `bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    expect(reached()).toHaveLength(1);
    expect(reached()[0]?.headers.has("authorization")).toBe(false);
  });

  it("leaves reading tickets and posting replies open", async () => {
    expect((await getJson(gateway, "/tickets")).res.status).toBe(200);
    const reply = await manage(gateway, "POST", "/tickets/55e633dcfa7864d21a226053/replies", { user: "Open", message: "no token needed" });
    expect(reply.res.status).toBe(201);
  });
});

describe("with the token, every route reaches the tickets service", () => {
  it("creates, lists, reads, rotates, enables, lists deliveries, retries, deletes; the original's routes subscribe and unsubscribe", async () => {
    const created = await manage<CreatedSubscription>(gateway, "POST", "/subscriptions", { url: HOOK, description: "via gateway" }, bearer());
    expect(created.res.status).toBe(201);
    expect(created.res.headers.get("x-served-by")).toBe("tickets@1.0.1");
    expect(created.body.secret).toMatch(/^whsec_/);
    const { id } = created.body;

    const listed = await manage<Subscription[]>(gateway, "GET", "/subscriptions?limit=10", undefined, bearer());
    expect([listed.res.status, listed.body.map((s) => s.id)]).toEqual([200, [id]]);
    const read = await manage<Subscription>(gateway, "GET", `/subscriptions/${id}`, undefined, bearer());
    expect([read.res.status, read.body.description]).toEqual([200, "via gateway"]);
    expect((await manage(gateway, "POST", `/subscriptions/${id}/rotate-secret`, undefined, bearer())).res.status).toBe(200);
    expect((await manage(gateway, "POST", `/subscriptions/${id}/enable`, undefined, bearer())).res.status).toBe(200);

    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare("INSERT INTO webhook_events (id, payload, created_at) VALUES ('e1', '{}', ?1)").bind(now),
      env.DB.prepare("INSERT INTO webhook_deliveries (id, event_id, subscription_id, status, attempts, created_at) VALUES ('d1', 'e1', ?1, 'failed', 8, ?2)").bind(id, now),
    ]);
    const log = await manage<unknown[]>(gateway, "GET", `/subscriptions/${id}/deliveries`, undefined, bearer());
    expect([log.res.status, log.body.length]).toEqual([200, 1]);
    const retried = await manage(gateway, "POST", `/subscriptions/${id}/deliveries/d1/retry`, undefined, bearer());
    expect([retried.res.status, retried.body]).toEqual([202, { deliveryId: "d1", attempt: 9 }]);

    expect((await manage(gateway, "DELETE", `/subscriptions/${id}`, undefined, bearer())).res.status).toBe(204);
    expect((await manage(gateway, "GET", `/subscriptions/${id}`, undefined, bearer())).res.status).toBe(404);

    const original = await manage<CreatedSubscription>(gateway, "POST", "/tickets/subscribeToComments", { url: HOOK }, bearer());
    expect([original.res.status, original.body.url]).toEqual([201, HOOK]);
    expect((await manage(gateway, "POST", "/tickets/unsubscribeToComments", { url: HOOK }, bearer())).res.status).toBe(204);
    expect((await manage(gateway, "GET", "/subscriptions", undefined, bearer())).body).toEqual([]);
  });

  it("answers bad input with the service's 4xx JSON error, as is", async () => {
    const refused = await manage<ErrorBody>(gateway, "POST", "/subscriptions", { url: "http://hooks.example.com/x" }, bearer());
    expect(refused.res.status).toBe(400);
    expect(refused.body.error.details).toEqual([{ path: "url", message: "The URL must use https (it uses http)." }]);
    expect((await manage(gateway, "GET", "/subscriptions?cursor=nope", undefined, bearer())).res.status).toBe(400);
    expect((await manage(gateway, "GET", `/subscriptions/${SOME_ID}`, undefined, bearer())).res.status).toBe(404);
    const put = await manage(gateway, "PUT", `/subscriptions/${SOME_ID}`, { url: HOOK }, bearer());
    expect([put.res.status, put.res.headers.get("allow")]).toEqual([405, "DELETE, GET, HEAD"]);
  });

  it("passes a retry's 503 with Retry-After (the delivery Queue refused it) to the client as is: no fallback, no breaker failure", async () => {
    const busy = () => Response.json({ error: { code: "queue_unavailable", message: "try again" } }, { status: 503, headers: { "retry-after": "5" } });
    const v101 = recordingBinding(busy);
    const v100 = recordingBinding(busy);
    const target = appTarget(createGatewayApp(), { ...env, TICKETS_V1_0_1: v101.binding, TICKETS_V1_0_0: v100.binding });
    const { res, body } = await manage<ErrorBody>(target, "POST", `/subscriptions/${SOME_ID}/deliveries/d1/retry`, undefined, bearer());
    expect([res.status, res.headers.get("retry-after"), body.error.code]).toEqual([503, "5", "queue_unavailable"]);
    expect(res.headers.get("x-served-by")).toBe("tickets@1.0.1");
    expect(v100.requests).toEqual([]);
  });

  it("falls back to 1.0.0 for a DELETE (idempotent) when 1.0.1 fails", async () => {
    const created = await manage<CreatedSubscription>(gateway, "POST", "/subscriptions", { url: HOOK }, bearer());
    const failing = recordingBinding(() => new Response("boom", { status: 500 }));
    const target = appTarget(createGatewayApp(), { ...env, TICKETS_V1_0_1: failing.binding });
    const { res } = await manage(target, "DELETE", `/subscriptions/${created.body.id}`, undefined, bearer());
    expect(res.status).toBe(204);
    expect([res.headers.get("x-served-by"), res.headers.get("x-fallback-from")]).toEqual(["tickets@1.0.0", "tickets@1.0.1"]);
  });
});

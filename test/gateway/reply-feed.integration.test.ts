import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createGatewayApp } from "../../workers/gateway/src/app.ts";
import type { FeedReply } from "../../workers/reply-feed/src/feed-reply.ts";
import type { Reply } from "../../workers/tickets/src/store/rows.ts";
import { appTarget } from "../support/app-target.ts";
import { getJson, postJson, workerUnderTest, type ErrorBody } from "../support/http.ts";
import { openLive } from "../support/live.ts";
import { WEBSOCKET_HANDSHAKE } from "../support/websocket-handshake.ts";
import { recordingBinding } from "./recording-binding.ts";

const gateway = workerUnderTest();

const AD_ON_IOS = "55e633dcfa7864d21a226053";

describe("the reply feed through the gateway", () => {
  it("a reply posted through the gateway shows up in GET /latestReplies, through the real queue", async () => {
    const { body: reply } = await postJson<Reply>(gateway, `/tickets/${AD_ON_IOS}/replies`, { user: "Kim", message: "to the feed" });
    await vi.waitFor(
      async () => {
        const { res, body } = await getJson<FeedReply[]>(gateway, "/latestReplies");
        expect(res.headers.get("x-served-by")).toBe("reply-feed@1.0.0");
        expect(body.at(-1)).toEqual({ ...reply, title: "AD on iOS" });
      },
      { timeout: 10_000, interval: 50 },
    );
  }, 15_000);

  it("GET /replies/latest is the same feed", async () => {
    const latest = await getJson<FeedReply[]>(gateway, "/latestReplies");
    const alias = await getJson<FeedReply[]>(gateway, "/replies/latest");
    expect(alias.res.status).toBe(200);
    expect(alias.body).toEqual(latest.body);
  });

  it("GET /replies/live upgrades to a WebSocket that receives a new reply", async () => {
    const live = await openLive(gateway);
    expect(live.response.headers.get("x-served-by")).toBe("reply-feed@1.0.0");
    try {
      const { body: reply } = await postJson<Reply>(gateway, `/tickets/${AD_ON_IOS}/replies`, { user: "Kim", message: "live" });
      await vi.waitFor(() => expect(live.received.map((r) => r.id)).toContain(reply.id), { timeout: 10_000, interval: 50 });
    } finally {
      live.close();
    }
  }, 15_000);

  it("passes the feed's refusal when full (503, Retry-After) to the client as is, without tripping the feed's breaker", async () => {
    const refusal = { error: { code: "no_service_available", message: "the live feed is full (1 connections); retry later" } };
    const full = recordingBinding((request) =>
      new URL(request.url).pathname === "/replies/live"
        ? Response.json(refusal, { status: 503, headers: { "retry-after": "27" } })
        : env.REPLY_FEED_V1_0_0.fetch(request),
    );
    const target = appTarget(createGatewayApp(), { ...env, REPLY_FEED_V1_0_0: full.binding });
    for (let n = 0; n < 4; n++) {
      const res = await target.fetch("http://gateway.test/replies/live", { headers: WEBSOCKET_HANDSHAKE });
      expect([res.status, res.headers.get("retry-after"), res.headers.get("x-served-by")]).toEqual([503, "27", "reply-feed@1.0.0"]);
      expect(await res.json()).toEqual(refusal);
    }
    expect(full.requests).toHaveLength(4);
    // Four refusals later the feed still serves its list: its breaker saw answers, not failures.
    expect((await getJson(target, "/latestReplies")).res.status).toBe(200);
  });

  it("the real feed at its socket cap: the next upgrade gets the feed's JSON 503 with Retry-After, and the feed keeps serving", async () => {
    const target = appTarget(createGatewayApp(), { ...env, REPLY_FEED_V1_0_0: env.REPLY_FEED_V1_0_0_FULL });
    const first = await openLive(target);
    try {
      for (let n = 0; n < 3; n++) {
        const refused = await target.fetch("http://gateway.test/replies/live", { headers: WEBSOCKET_HANDSHAKE });
        expect(refused.status).toBe(503);
        expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(((await refused.json()) as ErrorBody).error.message).toMatch(/full/);
      }
      expect((await getJson(target, "/latestReplies")).res.status).toBe(200);
    } finally {
      first.close();
    }
  });

  it("answers a GET /replies/live without an upgrade with a JSON 426, as the feed would", async () => {
    const { res, body } = await getJson<ErrorBody>(gateway, "/replies/live");
    expect(res.status).toBe(426);
    expect(body.error.code).toBe("invalid_request");
    expect(res.headers.get("x-served-by")).toBeNull();
  });
});

import { describe, expect, it, vi } from "vitest";
import type { FeedReply } from "../../workers/reply-feed/src/feed-reply.ts";
import type { Reply } from "../../workers/tickets/src/store/rows.ts";
import { getJson, postJson, workerUnderTest, type ErrorBody, type FetchTarget } from "../support/http.ts";
import { openLive } from "../support/live.ts";

const gateway = workerUnderTest();

/**
 * The gateway as a browser reaches it: every request carries a complete WebSocket handshake,
 * which the gateway checks before the feed sees it (openLive sends only `Upgrade`).
 */
const withHandshake: FetchTarget = {
  fetch: (input, init) =>
    gateway.fetch(input, {
      ...init,
      headers: { ...Object.fromEntries(new Headers(init?.headers)), "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==" },
    }),
};
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
    const live = await openLive(withHandshake);
    expect(live.response.headers.get("x-served-by")).toBe("reply-feed@1.0.0");
    try {
      const { body: reply } = await postJson<Reply>(gateway, `/tickets/${AD_ON_IOS}/replies`, { user: "Kim", message: "live" });
      await vi.waitFor(() => expect(live.received.map((r) => r.id)).toContain(reply.id), { timeout: 10_000, interval: 50 });
    } finally {
      live.close();
    }
  }, 15_000);

  it("answers a GET /replies/live without an upgrade with a JSON 426, as the feed would", async () => {
    const { res, body } = await getJson<ErrorBody>(gateway, "/replies/live");
    expect(res.status).toBe(426);
    expect(body.error.code).toBe("invalid_request");
    expect(res.headers.get("x-served-by")).toBeNull();
  });
});

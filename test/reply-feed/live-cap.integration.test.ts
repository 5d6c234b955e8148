import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createReplyFeedApp } from "../../workers/reply-feed/src/app.ts";
import { feedOf } from "../../workers/reply-feed/src/feed-of.ts";
import { maxSocketsOf, retryAfterSeconds } from "../../workers/reply-feed/src/socket-cap.ts";
import { appTarget } from "../support/app-target.ts";
import { getJson, workerUnderTest, type ErrorBody } from "../support/http.ts";
import { openLive, type LiveFeed } from "../support/live.ts";

// Its own file: a fresh feed object, so the sockets counted are this file's only.

/** The feed Worker with a cap of 2 live sockets. */
const cappedAt2 = appTarget(createReplyFeedApp(), { ...env, FEED_MAX_SOCKETS: "2" });

/** Closes a client's socket and waits for the feed's answer: by then the object has let it go. */
async function leave(...clients: LiveFeed[]): Promise<void> {
  for (const live of clients) live.close();
  await Promise.all(clients.map((live) => live.closed));
}

/** The live sockets the feed object holds, counted inside it. */
const socketsHeld = () =>
  runInDurableObject(feedOf(env) as unknown as DurableObjectStub, (_instance, state: DurableObjectState) => state.getWebSockets().length);

describe("the socket cap, FEED_MAX_SOCKETS", () => {
  it("refuses an upgrade over the cap with the JSON 503 envelope and Retry-After, accepting no socket", async () => {
    const held: LiveFeed[] = [await openLive(cappedAt2), await openLive(cappedAt2)];
    try {
      const { res, body } = await getJson<ErrorBody>(cappedAt2, "/replies/live", { upgrade: "websocket" });
      expect(res.status).toBe(503);
      expect(res.webSocket).toBeNull();
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(body).toEqual({ error: { code: "no_service_available", message: "the live feed is full (2 connections); retry later" } });
      expect(Number(res.headers.get("retry-after"))).toSatisfy((seconds: number) => Number.isInteger(seconds) && seconds >= 20 && seconds <= 40);
      expect(await socketsHeld()).toBe(2);
    } finally {
      await leave(...held);
    }
  });

  it("takes a client again once one has left", async () => {
    const [leaving, staying] = [await openLive(cappedAt2), await openLive(cappedAt2)];
    try {
      expect((await cappedAt2.fetch("http://service.test/replies/live", { headers: { upgrade: "websocket" } })).status).toBe(503);
      await leave(leaving);
      await leave(await openLive(cappedAt2));
    } finally {
      await leave(staying);
    }
  });

  it("is 5000 as configured, and a value that is no positive integer is refused by name", async () => {
    expect(env.FEED_MAX_SOCKETS).toBe("5000");
    await leave(await openLive(workerUnderTest()));
    for (const wrong of ["0", "-1", "2.5", "many", "", undefined]) {
      expect(() => maxSocketsOf(wrong)).toThrow(/FEED_MAX_SOCKETS must be a positive integer/);
    }
  });
});

describe("retryAfterSeconds", () => {
  it("spreads refused clients over 20 to 40 s", () => {
    expect([0, 0.5, 0.999999].map((value) => retryAfterSeconds(() => value))).toEqual([20, 30, 40]);
  });
});

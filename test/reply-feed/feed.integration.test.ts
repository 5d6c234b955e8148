import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getJson, workerUnderTest, type ErrorBody } from "../support/http.ts";
import { feedOf } from "../../workers/reply-feed/src/feed-of.ts";
import { at, deliver, feedIds, latestReplies, replyEvent } from "./events.ts";

// The tests of this file share one feed: times go up from test to test, so each test's replies
// are the newest in it.

describe("GET /latestReplies", () => {
  it("answers each reply as { id, ticketId, title, user, message, createdAt }", async () => {
    await deliver([replyEvent("f-shape", at(100))]);
    const replies = await latestReplies();
    expect(replies.at(-1)).toEqual({
      id: "f-shape",
      ticketId: "55e633b9fa7864d21a226052",
      title: "Social Authentication",
      user: "Ana",
      message: "reply f-shape",
      createdAt: at(100),
    });
  });

  it("12 replies leave exactly the last 10, oldest first", async () => {
    const minutes = Array.from({ length: 12 }, (_, n) => 200 + n);
    for (const minute of minutes) await deliver([replyEvent(`f-twelve-${minute}`, at(minute))]);
    expect(await feedIds()).toEqual(minutes.slice(2).map((minute) => `f-twelve-${minute}`));
  });
});

describe("the feed's order", () => {
  it("follows the replies' createdAt (then id), not the order events arrive in", async () => {
    const events = [
      replyEvent("f-order-c", at(303)),
      replyEvent("f-order-a", at(301)),
      replyEvent("f-order-d", at(304)),
      replyEvent("f-order-b2", at(302)),
      replyEvent("f-order-b1", at(302)),
    ];
    for (const event of events) await deliver([event]);
    expect((await feedIds()).slice(-5)).toEqual(["f-order-a", "f-order-b1", "f-order-b2", "f-order-c", "f-order-d"]);
  });

  it("a redelivered event whose reply was trimmed, or any event older than the 10th reply, changes nothing", async () => {
    const events = Array.from({ length: 11 }, (_, n) => replyEvent(`f-trim-${600 + n}`, at(600 + n)));
    for (const event of events) await deliver([event]);
    const before = await feedIds();
    expect(before).toEqual(events.slice(1).map((event) => event.data.replyId));
    const trimmed = events[0]!;
    await deliver([trimmed, { ...trimmed, id: "a-new-event-id-for-the-trimmed-reply" }, replyEvent("f-very-old", at(1))]);
    expect(await feedIds()).toEqual(before);
  });
});

describe("idempotency", () => {
  it("one reply is stored once, even when it arrives under two event ids", async () => {
    await deliver([replyEvent("f-one-reply", at(700), "event-x"), replyEvent("f-one-reply", at(700), "event-y")]);
    expect((await feedIds()).filter((id) => id === "f-one-reply")).toHaveLength(1);
  });
});

describe("other routes", () => {
  it("GET /health names the service and its version", async () => {
    const { res, body } = await getJson(workerUnderTest(), "/health");
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ service: "reply-feed", version: "1.0.0", deployment: { id: env.CF_VERSION_METADATA!.id } });
  });

  it("unknown routes answer the shared 404 envelope", async () => {
    const { res, body } = await getJson<ErrorBody>(workerUnderTest(), "/nope");
    expect(res.status).toBe(404);
    expect(body.error.code).toBe("not_found");
  });
});

describe("the feed object's location hint", () => {
  it("is read from FEED_LOCATION_HINT, and a misspelt region is refused by name rather than ignored", async () => {
    expect(env.FEED_LOCATION_HINT).toBe("enam");
    expect((await getJson(workerUnderTest(), "/latestReplies")).res.status).toBe(200);
    expect(() => feedOf({ ...env, FEED_LOCATION_HINT: "mars" })).toThrow(/FEED_LOCATION_HINT must be one of wnam, enam/);
    expect(() => feedOf({ ...env, FEED_LOCATION_HINT: "" })).not.toThrow();
  });
});

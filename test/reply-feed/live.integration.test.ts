import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { FeedReply } from "../../workers/reply-feed/src/feed-reply.ts";
import { getJson, workerUnderTest, type ErrorBody } from "../support/http.ts";
import { openLive, type LiveFeed } from "../support/live.ts";
import { at, deliver, latestReplies, replyEvent } from "./events.ts";

const sockets: LiveFeed[] = [];

/** Connects to `GET /replies/live` and collects what arrives. */
async function connect(): Promise<FeedReply[]> {
  const live = await openLive(workerUnderTest());
  sockets.push(live);
  return live.received;
}

// Fill the feed first: its first fill pushes what it brings in (see first-reply-live), not the subject here.
beforeAll(async () => {
  await latestReplies();
});

afterEach(() => {
  for (const live of sockets.splice(0)) live.close();
});

describe("GET /replies/live", () => {
  it("pushes each reply the feed applies to every connected client", async () => {
    const [first, second] = [await connect(), await connect()];
    await deliver([replyEvent("l-new", at(1))]);
    const expected = { id: "l-new", ticketId: "55e633b9fa7864d21a226052", title: "Social Authentication", user: "Ana", message: "reply l-new", createdAt: at(1) };
    await vi.waitFor(() => expect(first).toEqual([expected]), { timeout: 5_000 });
    await vi.waitFor(() => expect(second).toEqual([expected]), { timeout: 5_000 });
  });

  it("pushes nothing for a repeated event: the next message is the next new reply", async () => {
    const received = await connect();
    const repeated = replyEvent("l-repeated", at(2));
    await deliver([repeated]);
    await deliver([repeated, replyEvent("l-after", at(3))]);
    await vi.waitFor(() => expect(received.map((reply) => reply.id)).toEqual(["l-repeated", "l-after"]), { timeout: 5_000 });
  });

  it("answers a plain GET with 426 in the shared error envelope", async () => {
    const { res, body } = await getJson<ErrorBody>(workerUnderTest(), "/replies/live");
    expect(res.status).toBe(426);
    expect(res.headers.get("upgrade")).toBe("websocket");
    expect(body.error).toEqual({ code: "invalid_request", message: "GET /replies/live expects a WebSocket upgrade" });
  });
});

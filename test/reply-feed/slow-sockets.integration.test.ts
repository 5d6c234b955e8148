import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { feedOf } from "../../workers/reply-feed/src/feed-of.ts";
import { LIVE_MESSAGE_MAX_LENGTH } from "../../workers/reply-feed/src/live-frame.ts";
import { workerUnderTest } from "../support/http.ts";
import { openLive, type LiveFeed } from "../support/live.ts";
import { at, deliver, latestReplies, replyEvent } from "./events.ts";

// The runtime gives the feed no way to see how much a socket has queued (see the first test), so
// what one slow client can make the object hold is bounded per frame instead.

const sockets: LiveFeed[] = [];

/** The longest message the tickets API takes, in characters: 10,000. */
const LONGEST_MESSAGE = 10_000;

/** A reply event whose message is `message`. */
const eventWith = (replyId: string, minute: number, message: string) => {
  const event = replyEvent(replyId, at(minute));
  return { ...event, data: { ...event.data, message } };
};

afterEach(() => {
  for (const live of sockets.splice(0)) live.close();
});

describe("a slow socket", () => {
  it("cannot be measured: workerd's WebSocket has no bufferedAmount (when this fails, close sockets over a threshold by it)", async () => {
    const live = await openLive(workerUnderTest());
    sockets.push(live);
    const stub = feedOf(env) as unknown as DurableObjectStub;
    const seen = await runInDurableObject(stub, (_instance, state: DurableObjectState) =>
      state.getWebSockets().map((ws) => ({ has: "bufferedAmount" in ws, value: (ws as { bufferedAmount?: unknown }).bufferedAmount })),
    );
    expect(seen.length).toBeGreaterThan(0);
    for (const socket of seen) expect(socket).toEqual({ has: false, value: undefined });
  });

  it("is sent a reply's message cut to 500 characters, marked truncated, in its pushes and its snapshot", async () => {
    const live = await openLive(workerUnderTest());
    sockets.push(live);
    const message = "é".repeat(LONGEST_MESSAGE);
    await deliver([eventWith("slow-long", 1, message)]);
    await vi.waitFor(() => expect(live.received.map((reply) => reply.id)).toEqual(["slow-long"]), { timeout: 5_000 });
    const [pushed] = live.received;
    expect(pushed).toMatchObject({ message: "é".repeat(LIVE_MESSAGE_MAX_LENGTH), truncated: true });
    // 500 two-byte characters and the rest of the reply: about 1 KB queued per push, not 20 KB.
    expect(new TextEncoder().encode(live.messages.at(-1)!).length).toBeLessThan(1_400);
    // GET /latestReplies keeps the whole text; a later client's snapshot carries the preview.
    expect((await latestReplies()).at(-1)!.message).toBe(message);
    const later = await openLive(workerUnderTest());
    sockets.push(later);
    expect(later.snapshot.at(-1)).toEqual(pushed);
  });

  it("is sent a short message whole, unmarked", async () => {
    const live = await openLive(workerUnderTest());
    sockets.push(live);
    await deliver([eventWith("slow-short", 2, "x".repeat(LIVE_MESSAGE_MAX_LENGTH))]);
    await vi.waitFor(() => expect(live.received).toHaveLength(1), { timeout: 5_000 });
    expect(live.received[0]!.message).toBe("x".repeat(LIVE_MESSAGE_MAX_LENGTH));
    expect(live.received[0]).not.toHaveProperty("truncated");
  });
});

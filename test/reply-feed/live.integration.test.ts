import { afterEach, describe, expect, it, vi } from "vitest";
import { POLICY_VIOLATION, POLICY_VIOLATION_REASON } from "../../workers/reply-feed/src/live-close.ts";
import type { LiveReply } from "../../workers/reply-feed/src/live-frame.ts";
import { getJson, workerUnderTest, type ErrorBody } from "../support/http.ts";
import { openLive, type LiveClose, type LiveFeed } from "../support/live.ts";
import { at, deliver, latestReplies, replyEvent } from "./events.ts";

const sockets: LiveFeed[] = [];

/** Connects to `GET /replies/live`; the socket is closed after the test. */
async function connect(): Promise<LiveFeed> {
  const live = await openLive(workerUnderTest());
  sockets.push(live);
  return live;
}

/** The close the client saw, or a string saying none came within 3 s (a test then fails on it). */
const closeOf = (live: LiveFeed): Promise<LiveClose | string> =>
  Promise.race([live.closed, new Promise<string>((resolve) => setTimeout(() => resolve("no Close frame within 3 s"), 3_000))]);

const ids = (replies: LiveReply[]) => replies.map((reply) => reply.id);

afterEach(() => {
  for (const live of sockets.splice(0)) live.close();
});

describe("GET /replies/live", () => {
  it("sends the feed as its first frame, the same list GET /latestReplies answers", async () => {
    await deliver([replyEvent("l-before", at(1))]);
    const live = await connect();
    expect(live.messages).toHaveLength(1);
    expect(JSON.parse(live.messages[0]!)).toMatchObject({ type: "snapshot" });
    expect(live.snapshot).toEqual(await latestReplies());
    expect(ids(live.snapshot).at(-1)).toBe("l-before");
    expect(live.received).toEqual([]);
  });

  it("then pushes each reply the feed applies to every connected client, one frame each", async () => {
    const [first, second] = [await connect(), await connect()];
    await deliver([replyEvent("l-new", at(2))]);
    const expected = { id: "l-new", ticketId: "55e633b9fa7864d21a226052", title: "Social Authentication", user: "Ana", message: "reply l-new", createdAt: at(2) };
    await vi.waitFor(() => expect(first.received).toEqual([expected]), { timeout: 5_000 });
    await vi.waitFor(() => expect(second.received).toEqual([expected]), { timeout: 5_000 });
    expect(first.messages.map((message) => JSON.parse(message))).toEqual([
      { type: "snapshot", replies: first.snapshot },
      { type: "reply", reply: expected },
    ]);
  });

  it("pushes nothing for a repeated event: the next message is the next new reply", async () => {
    const live = await connect();
    const repeated = replyEvent("l-repeated", at(3));
    await deliver([repeated]);
    await deliver([repeated, replyEvent("l-after", at(4))]);
    await vi.waitFor(() => expect(ids(live.received)).toEqual(["l-repeated", "l-after"]), { timeout: 5_000 });
  });

  it('answers "ping" with "pong" and keeps the socket open', async () => {
    const live = await connect();
    live.send("ping");
    await vi.waitFor(() => expect(live.messages.slice(1)).toEqual(["pong"]), { timeout: 5_000 });
    await deliver([replyEvent("l-after-ping", at(5))]);
    await vi.waitFor(() => expect(ids(live.received)).toEqual(["l-after-ping"]), { timeout: 5_000 });
  });

  it.each([
    ["a text message", "hello", 11],
    ['"PING" (the auto-answer is case-sensitive)', "PING", 12],
    ["a binary message", new Uint8Array([112, 105, 110, 103]).buffer, 13],
  ])("closes the socket with 1008 on %s, and only that socket", async (_case, message, minute) => {
    const [offender, bystander] = [await connect(), await connect()];
    offender.send(message);
    expect(await closeOf(offender)).toEqual({ code: POLICY_VIOLATION, reason: POLICY_VIOLATION_REASON });
    await deliver([replyEvent(`l-bystander-${minute}`, at(minute))]);
    await vi.waitFor(() => expect(ids(bystander.received)).toEqual([`l-bystander-${minute}`]), { timeout: 5_000 });
    expect(offender.received).toEqual([]);
  });

  it.each([
    ["with a code and a reason", 4001, "bye", { code: 4001, reason: "bye" }],
    ["normally", 1000, "", { code: 1000, reason: "" }],
  ])("answers a client's Close frame %s with one of its own", async (_case, code, reason, expected) => {
    const live = await connect();
    live.close(code, reason);
    expect(await closeOf(live)).toEqual(expected);
  });

  it("answers a plain GET with 426 in the shared error envelope", async () => {
    const { res, body } = await getJson<ErrorBody>(workerUnderTest(), "/replies/live");
    expect(res.status).toBe(426);
    expect(res.headers.get("upgrade")).toBe("websocket");
    expect(body.error).toEqual({ code: "invalid_request", message: "GET /replies/live expects a WebSocket upgrade" });
  });
});

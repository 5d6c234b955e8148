import { describe, expect, it } from "vitest";
import type { FeedReply } from "../../workers/reply-feed/src/feed-reply.ts";
import { LIVE_MESSAGE_MAX_LENGTH, liveReplyOf, parseLiveFrame, replyFrame, snapshotFrame } from "../../workers/reply-feed/src/live-frame.ts";

const reply: FeedReply = { id: "r", ticketId: "t", title: "T", user: "U", message: "m", createdAt: "2030-01-01T00:00:00.000Z" };

describe("liveReplyOf", () => {
  it("never cuts a character in two: a pair of UTF-16 surrogates astride the limit goes whole", () => {
    const message = `${"a".repeat(LIVE_MESSAGE_MAX_LENGTH - 1)}😀${"b".repeat(10)}`;
    const cut = liveReplyOf({ ...reply, message });
    expect(cut.message).toBe("a".repeat(LIVE_MESSAGE_MAX_LENGTH - 1));
    expect(cut.truncated).toBe(true);
    // The frame stays valid for a client, whatever was cut.
    expect(parseLiveFrame(replyFrame({ ...reply, message }))).toEqual({ type: "reply", reply: cut });
  });
});

describe("parseLiveFrame", () => {
  it('reads both frames, and returns null for "pong" and for a frame type it does not know (a client ignores them)', () => {
    expect(parseLiveFrame(snapshotFrame([reply]))).toEqual({ type: "snapshot", replies: [reply] });
    expect(parseLiveFrame(replyFrame(reply))).toEqual({ type: "reply", reply });
    expect(parseLiveFrame("pong")).toBeNull();
    expect(parseLiveFrame(JSON.stringify({ type: "replies", replies: [] }))).toBeNull();
    expect(() => parseLiveFrame(JSON.stringify({ type: "reply", reply: { id: "r" } }))).toThrow();
  });
});

import { z } from "zod";
import { feedReplySchema, type FeedReply } from "./feed-reply.ts";

// The `GET /replies/live` protocol, in one place for the feed object that sends it and for every
// client that reads it (the tests, test/support/live.ts, the demo, the bench).
//
// Server → client, each a JSON text frame told apart by its `type`:
//   { "type": "snapshot", "replies": [LiveReply, ...] }  always the first frame: the feed, oldest first
//   { "type": "reply", "reply": LiveReply }               then one per reply that enters the feed
// Client → server: only the text "ping", answered "pong" (plain text) by the runtime. Anything
// else closes the socket with 1008. A client ignores a frame `type` it does not know, so a later
// version can add one without breaking it.

/** What a client may send: the runtime answers it with {@link PONG} without waking the feed. */
export const PING = "ping";
/** The runtime's answer to {@link PING}: the one server message that is plain text, not a frame. */
export const PONG = "pong";

/**
 * The longest `message` a frame carries, in UTF-16 code units. A reply's message may be 10,000
 * characters; a frame holds a preview, so what one slow socket can queue per push stays about
 * 1 KB rather than 10–30 KB (see README, "Slow sockets"). The whole text is in `GET /latestReplies`
 * and `GET /tickets/:ticketId`.
 */
export const LIVE_MESSAGE_MAX_LENGTH = 500;

/** A reply as a frame carries it: a feed reply whose `message` may be cut, then marked `truncated`. */
export const liveReplySchema = feedReplySchema.extend({ truncated: z.literal(true).optional() });
export type LiveReply = z.output<typeof liveReplySchema>;

const snapshotFrameSchema = z.object({ type: z.literal("snapshot"), replies: z.array(liveReplySchema) });
const replyFrameSchema = z.object({ type: z.literal("reply"), reply: liveReplySchema });

/** Every frame this version of the protocol knows. */
export const liveFrameSchema = z.discriminatedUnion("type", [snapshotFrameSchema, replyFrameSchema]);
export type LiveFrame = z.output<typeof liveFrameSchema>;

/**
 * The reply as a frame carries it: its message cut to {@link LIVE_MESSAGE_MAX_LENGTH}, never in
 * the middle of a surrogate pair.
 *
 * @example
 * ```ts
 * liveReplyOf({ ...reply, message: "x".repeat(600) }); // { ...reply, message: "x".repeat(500), truncated: true }
 * ```
 */
export function liveReplyOf(reply: FeedReply): LiveReply {
  if (reply.message.length <= LIVE_MESSAGE_MAX_LENGTH) return reply;
  let end = LIVE_MESSAGE_MAX_LENGTH;
  const last = reply.message.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1; // a high surrogate whose pair would be cut off
  return { ...reply, message: reply.message.slice(0, end), truncated: true };
}

/**
 * The first frame of every connection: the feed as it is when the socket is accepted.
 *
 * @example
 * ```ts
 * server.send(snapshotFrame(store.latest()));
 * ```
 */
export const snapshotFrame = (replies: readonly FeedReply[]): string =>
  JSON.stringify({ type: "snapshot", replies: replies.map(liveReplyOf) } satisfies LiveFrame);

/**
 * The frame pushed for one reply that entered the feed.
 *
 * @example
 * ```ts
 * const frame = replyFrame(reply); // serialised once, sent to every socket
 * ```
 */
export const replyFrame = (reply: FeedReply): string => JSON.stringify({ type: "reply", reply: liveReplyOf(reply) } satisfies LiveFrame);

/**
 * A server message as a client reads it: a frame of this version, or `null` for anything else
 * ({@link PONG}, or a frame type a later version added), which a client ignores. Throws on a
 * known frame type with a malformed body: that is a server bug, not a newer protocol.
 *
 * @example
 * ```ts
 * ws.addEventListener("message", (event) => {
 *   const frame = parseLiveFrame(String(event.data));
 *   if (frame?.type === "reply") show(frame.reply);
 * });
 * ```
 */
export function parseLiveFrame(data: string): LiveFrame | null {
  if (data === PONG) return null;
  const value: unknown = JSON.parse(data);
  const type = typeof value === "object" && value !== null && "type" in value ? value.type : undefined;
  if (type !== "snapshot" && type !== "reply") return null;
  return liveFrameSchema.parse(value);
}

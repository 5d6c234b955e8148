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

/** A reply as a frame carries it: as `GET /latestReplies` answers it. */
export const liveReplySchema = feedReplySchema;
export type LiveReply = FeedReply;

const snapshotFrameSchema = z.object({ type: z.literal("snapshot"), replies: z.array(liveReplySchema) });
const replyFrameSchema = z.object({ type: z.literal("reply"), reply: liveReplySchema });

/** Every frame this version of the protocol knows. */
export const liveFrameSchema = z.discriminatedUnion("type", [snapshotFrameSchema, replyFrameSchema]);
export type LiveFrame = z.output<typeof liveFrameSchema>;

/**
 * The first frame of every connection: the feed as it is when the socket is accepted.
 *
 * @example
 * ```ts
 * server.send(snapshotFrame(store.latest()));
 * ```
 */
export const snapshotFrame = (replies: readonly FeedReply[]): string =>
  JSON.stringify({ type: "snapshot", replies: [...replies] } satisfies LiveFrame);

/**
 * The frame pushed for one reply that entered the feed.
 *
 * @example
 * ```ts
 * const frame = replyFrame(reply); // serialised once, sent to every socket
 * ```
 */
export const replyFrame = (reply: FeedReply): string => JSON.stringify({ type: "reply", reply } satisfies LiveFrame);

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

import { z } from "zod";
import type { ReplyCreatedEvent } from "#shared/events/reply-created.ts";

/** How many replies the feed keeps and answers: the original's "latest replies" box. */
export const FEED_SIZE = 10;

/** One reply of the feed, as `GET /latestReplies` and the live WebSocket send it. */
export const feedReplySchema = z.object({
  id: z.string().min(1),
  ticketId: z.string().min(1),
  title: z.string(),
  user: z.string(),
  message: z.string(),
  createdAt: z.string().min(1),
});
export type FeedReply = z.output<typeof feedReplySchema>;

/**
 * The feed's reply for a `reply.created` event.
 *
 * @example
 * ```ts
 * const reply = feedReplyOf(event); // { id: event.data.replyId, ticketId, title, user, message, createdAt }
 * ```
 */
export function feedReplyOf({ data }: ReplyCreatedEvent): FeedReply {
  return { id: data.replyId, ticketId: data.ticketId, title: data.title, user: data.user, message: data.message, createdAt: data.createdAt };
}

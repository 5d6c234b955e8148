import { parseReplyCreatedEvent, REPLY_CREATED, type ReplyCreatedEvent } from "#shared/events/reply-created.ts";
import type { Reply } from "../store/rows.ts";

/**
 * The `reply.created` event of a reply about to be stored, checked against the shared schema so
 * that a producer bug fails the write (a 500, nothing stored) instead of poisoning the Queue.
 *
 * @example
 * ```ts
 * const event = replyCreatedEvent(reply, "Social Authentication");
 * await db.batch([insertReply(db, reply), insertOutboxEvent(db, event, Date.now())]);
 * ```
 */
export function replyCreatedEvent(reply: Reply, title: string): ReplyCreatedEvent {
  const parsed = parseReplyCreatedEvent({
    id: crypto.randomUUID(),
    type: REPLY_CREATED,
    occurredAt: reply.createdAt,
    data: { ticketId: reply.ticketId, title, replyId: reply.id, user: reply.user, message: reply.message, createdAt: reply.createdAt },
  });
  if (!parsed.ok) throw new Error(`reply.created event does not match its schema: ${JSON.stringify(parsed.problems)}`);
  return parsed.event;
}

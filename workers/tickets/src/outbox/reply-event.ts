import { parseReplyCreatedEvent, REPLY_CREATED, type ReplyCreatedEvent } from "#shared/events/reply-created.ts";
import { ANY_ACTIVE_SUBSCRIPTION } from "#shared/webhooks/any-active-subscription.ts";
import type { Database } from "../store/database.ts";
import type { Reply } from "../store/rows.ts";
import { flagged, OUTBOX_GRACE_MS, type OutgoingEvent, type Stored } from "./store.ts";

/** The title an event carries until its outbox insert puts in the ticket's own (see below). */
const TITLE_FROM_TICKET = "(the ticket's title)";

/**
 * The `reply.created` event of a reply about to be stored, but for its ticket's title, which
 * {@link insertReplyEvent} reads in the write itself. Checked against the shared schema, so that
 * a producer bug fails the write (a 500, nothing stored) instead of poisoning the Queue.
 *
 * @example
 * ```ts
 * const event = replyCreatedEvent(reply);
 * await db.batch([insertReply(db, reply), insertReplyEvent(db, event, Date.now())]);
 * ```
 */
export function replyCreatedEvent(reply: Reply): ReplyCreatedEvent {
  const parsed = parseReplyCreatedEvent({
    id: crypto.randomUUID(),
    type: REPLY_CREATED,
    occurredAt: reply.createdAt,
    data: { ticketId: reply.ticketId, title: TITLE_FROM_TICKET, replyId: reply.id, user: reply.user, message: reply.message, createdAt: reply.createdAt },
  });
  if (!parsed.ok) throw new Error(`reply.created event does not match its schema: ${JSON.stringify(parsed.problems)}`);
  return parsed.event;
}

/**
 * The statement that stores `event` in the outbox with its ticket's title, read by the insert
 * itself (INSERT ... SELECT ... FROM tickets): no look-up before the write, so adding a reply is
 * one round trip. The same statement decides whether the webhooks fan-out takes the event: only
 * when some subscription is active at the commit (with none, the event would cost the webhooks
 * Worker a message, a run and a D1 batch to find nobody to deliver to). It RETURNs the payload as
 * stored and that decision, what to send once the batch commits ({@link committedEvent}). For an unknown ticket it stores nothing, and the reply's insert in the
 * same batch fails on its foreign key, which rolls back the batch. The writing request holds the
 * first lease, as with `insertOutboxEvent`.
 *
 * @example
 * ```ts
 * const [, stored] = await db.batch([insertReply(db, reply), insertReplyEvent(db, event, now)]);
 * ```
 */
export function insertReplyEvent(db: Database, event: ReplyCreatedEvent, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO outbox (id, type, payload, created_at, claimed_until, to_webhooks)
       SELECT ?1, ?2, json_set(?3, '$.data.title', t.title), ?4, ?5, ${ANY_ACTIVE_SUBSCRIPTION}
       FROM tickets t WHERE t.id = ?6
       RETURNING payload, to_webhooks AS toWebhooks`,
    )
    .bind(event.id, event.type, JSON.stringify(event), now, now + OUTBOX_GRACE_MS, event.data.ticketId);
}

/**
 * The event {@link insertReplyEvent} stored, and where it goes, from that statement's result.
 *
 * @example
 * ```ts
 * const outgoing = committedEvent(results.at(-1));
 * ```
 */
export function committedEvent(result: D1Result | undefined): OutgoingEvent {
  const row = result?.results[0] as Stored<OutgoingEvent> | undefined;
  if (row === undefined) throw new Error("the reply's outbox insert returned no event");
  return flagged(row);
}

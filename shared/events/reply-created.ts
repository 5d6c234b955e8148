import { z } from "zod";
import { describeIssues, type FieldProblem } from "../http/validate.ts";

/** The `type` of the event emitted once for every reply added to a ticket. */
export const REPLY_CREATED = "reply.created";

const text = z.string().min(1, "must not be empty");
// Always UTC with milliseconds (what `toISOString()` gives): consumers order by these strings.
const instant = z.iso.datetime({ offset: false, precision: 3, error: "must be an ISO 8601 UTC time with milliseconds" });

/**
 * `reply.created`, as the tickets service writes it to its outbox and the Queue carries it.
 * Unknown fields are dropped rather than refused, so a newer producer that adds a field is not
 * poison to an older consumer. Field lengths are the tickets API's business: a Queue message is
 * capped at 128 KB anyway.
 */
export const replyCreatedEventSchema = z.object({
  /** The event's own id: a redelivery or re-drive carries the same id, so consumers dedupe on it. */
  id: text,
  type: z.literal(REPLY_CREATED),
  /** When the reply was made: its `createdAt`, taken just before the transaction that stores it and this event. */
  occurredAt: instant,
  data: z.object({
    ticketId: text,
    /** The ticket's title at the time of the reply, so a consumer needs no lookup. */
    title: text,
    replyId: text,
    user: text,
    message: text,
    createdAt: instant,
  }),
});

/** A valid `reply.created` event. */
export type ReplyCreatedEvent = z.output<typeof replyCreatedEventSchema>;

/** What {@link parseReplyCreatedEvent} found: the event, or every problem with it. */
export type ParsedReplyCreatedEvent = { ok: true; event: ReplyCreatedEvent } | { ok: false; problems: FieldProblem[] };

/**
 * Checks an untrusted value (a Queue message body, an outbox row) against the event schema.
 * Never throws: a consumer must be able to tell a malformed message from a failure to apply it.
 *
 * @example
 * ```ts
 * const parsed = parseReplyCreatedEvent(message.body);
 * if (!parsed.ok) { console.error(parsed.problems); message.ack(); return; }
 * await feed.applyEvent(parsed.event);
 * ```
 */
export function parseReplyCreatedEvent(input: unknown): ParsedReplyCreatedEvent {
  const parsed = replyCreatedEventSchema.safeParse(input);
  if (parsed.success) return { ok: true, event: parsed.data };
  return { ok: false, problems: describeIssues(parsed.error.issues) };
}

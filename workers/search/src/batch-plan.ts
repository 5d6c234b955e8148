import type { Change } from "./change.ts";
import { htmlToText, plainText } from "./html-text.ts";

/** A ticket's document as the batch leaves it. */
export interface TicketDocument {
  id: string;
  title: string;
  body: string;
}

/** A reply's document as the batch leaves it (its ticket's title is looked up when applied). */
export interface ReplyDocument {
  id: string;
  ticketId: string;
  body: string;
}

/** What a batch of changes does to the index, each document once, in the order it is applied. */
export interface BatchPlan {
  /** Tickets deleted in the batch: their documents and every reply document of theirs go first. */
  deletedTickets: string[];
  /** Documents whose last change in the batch is a delete (`ticket:<id>` or `reply:<id>`). */
  deletedKeys: string[];
  /** Tickets whose last change is an upsert: their new state. */
  tickets: TicketDocument[];
  /** Replies whose last change is an upsert, and whose ticket was not deleted after it. */
  replies: ReplyDocument[];
}

/** The key of a document in the index: a ticket and a reply may share an id, never a key. */
export const documentKey = (kind: "ticket" | "reply", id: string) => `${kind}:${id}`;

type Final = { kind: "ticket"; doc: TicketDocument } | { kind: "reply"; doc: ReplyDocument } | { kind: "deleted" };

/**
 * Folds a batch of changes (ascending by seq) into the final state of each document it touches,
 * so applying it is a fixed number of set-based statements whatever the batch's size: the same
 * result as applying the changes one by one, in order. A ticket deleted in the batch takes its
 * replies with it, those already indexed and those written earlier in the batch; a reply written
 * after the delete (its ticket created again) stays.
 *
 * @example
 * ```ts
 * planBatch([ticketUpsert, replyUpsert]).replies; // [{ id, ticketId, body: "message, tags stripped" }]
 * ```
 */
export function planBatch(changes: readonly Change[]): BatchPlan {
  const finals = new Map<string, Final>();
  const deletedTickets = new Set<string>();
  for (const change of changes) {
    const key = documentKey(change.entity, change.id);
    if (change.op === "delete") {
      finals.set(key, { kind: "deleted" });
      if (change.entity === "ticket") {
        deletedTickets.add(change.id);
        for (const [otherKey, final] of finals) {
          if (final.kind === "reply" && final.doc.ticketId === change.id) finals.set(otherKey, { kind: "deleted" });
        }
      }
    } else if (change.entity === "ticket") {
      finals.set(key, { kind: "ticket", doc: { id: change.id, title: plainText(change.data.title), body: plainText(change.data.description) } });
    } else {
      finals.set(key, { kind: "reply", doc: { id: change.id, ticketId: change.ticketId, body: htmlToText(change.data.message) } });
    }
  }
  const plan: BatchPlan = { deletedTickets: [...deletedTickets], deletedKeys: [], tickets: [], replies: [] };
  for (const [key, final] of finals) {
    if (final.kind === "deleted") plan.deletedKeys.push(key);
    else if (final.kind === "ticket") plan.tickets.push(final.doc);
    else plan.replies.push(final.doc);
  }
  return plan;
}

import { pageOf, type PagePosition } from "../cursor.ts";
import type { Database } from "./database.ts";
import { REPLY_COLUMNS, type Reply } from "./rows.ts";

/** One page of a ticket's replies, oldest first, and where the next page starts (if there is one). */
export interface ReplyPage {
  replies: Reply[];
  next: PagePosition | null;
}

/**
 * A page of the replies of ticket `ticketId`, oldest first, `limit` at a time, after `after` when
 * paging on; null when there is no such ticket. One batch (one round trip, one consistent read):
 * the ticket's existence, and the page, read as a range of replies_by_ticket (ticket_id,
 * created_at, id) that starts at the cursor and stops after `limit + 1` entries, so a page costs
 * the same on a ticket with 10 replies as on one with a million.
 *
 * @example
 * ```ts
 * const page = await replyPage(c.var.db, ticketId, 50, null);
 * if (!page) throw ticketNotFound(ticketId);
 * ```
 */
export async function replyPage(db: Database, ticketId: string, limit: number, after: PagePosition | null): Promise<ReplyPage | null> {
  const range = after ? "AND (r.created_at, r.id) > (?2, ?3)" : "";
  const params = after ? [ticketId, after.createdAt, after.id] : [ticketId];
  const [ticket, replies] = await db.batch<{ found: number } | Reply>([
    db.prepare("SELECT 1 AS found FROM tickets WHERE id = ?1").bind(ticketId),
    db.prepare(`SELECT ${REPLY_COLUMNS} FROM replies r WHERE r.ticket_id = ?1 ${range} ORDER BY r.created_at, r.id LIMIT ?${params.length + 1}`)
      .bind(...params, limit + 1),
  ]);
  if (!ticket?.results.length) return null;
  const { items, next } = pageOf((replies?.results ?? []) as Reply[], limit);
  return { replies: items, next };
}

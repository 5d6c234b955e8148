import { env } from "cloudflare:workers";
import type { Reply, Ticket } from "../../workers/tickets/src/store/rows.ts";
import { postJson, type FetchTarget } from "../support/http.ts";

/**
 * A new ticket with `count` replies, stored by one INSERT ... SELECT over a recursive counter (one
 * statement, however many replies). Reply n (from 1) says `#n` and is n seconds into 2026, so
 * they are in order and their ids (the ticket's id with n in the last 6 hex digits) too. The
 * reply_count trigger counts them as it would replies posted one by one.
 *
 * @example
 * ```ts
 * const { ticket, replies } = await ticketWithReplies(workerUnderTest(), 150);
 * ```
 */
export async function ticketWithReplies(target: FetchTarget, count: number): Promise<{ ticket: Ticket; replies: Reply[] }> {
  const { body: ticket } = await postJson<Ticket>(target, "/tickets", { title: `${count} replies` });
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
     INSERT INTO replies (id, ticket_id, user, message, created_at)
     SELECT substr(?1, 1, 18) || printf('%06x', i), ?1, 'Bulk', '#' || i,
            strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || i || ' seconds')
     FROM n`,
  )
    .bind(ticket.id, count)
    .run();
  const replies = Array.from({ length: count }, (_, index) => {
    const n = index + 1;
    return {
      id: ticket.id.slice(0, 18) + n.toString(16).padStart(6, "0"),
      ticketId: ticket.id,
      user: "Bulk",
      message: `#${n}`,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    };
  });
  return { ticket, replies };
}

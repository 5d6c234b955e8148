import { pageOf, type PagePosition } from "../cursor.ts";
import { EMBEDDED_REPLIES, REPLY_COLUMNS, TICKET_COLUMNS, withReplies, type Reply, type Ticket } from "./rows.ts";
import type { Database } from "./database.ts";

/** One page of tickets, newest first, and where the next page starts (if there is one). */
export interface TicketPage {
  tickets: Ticket[];
  next: PagePosition | null;
}

type TicketRow = Omit<Ticket, "replies">;

/**
 * The latest {@link EMBEDDED_REPLIES} replies of each ticket whose id `page` selects. Per ticket,
 * the correlated subquery walks replies_by_ticket (ticket_id, created_at, id) backwards and stops
 * after that many entries; the rows are then read by rowid. So the work and the rows returned do
 * not grow with a ticket's replies. No ORDER BY: their order is set in `withReplies`, which costs
 * no sort in D1 (the rows are at most EMBEDDED_REPLIES per ticket).
 */
const latestRepliesOf = (page: string) =>
  `SELECT ${REPLY_COLUMNS} FROM (${page}) AS p
   JOIN replies r ON r.rowid IN (
     SELECT rowid FROM replies WHERE ticket_id = p.id ORDER BY created_at DESC, id DESC LIMIT ${EMBEDDED_REPLIES})`;

/**
 * Reads tickets selected by `where` (at most `limit`, newest first) and their latest replies in
 * one batch: one round trip, and one consistent read, as the batch is a single transaction.
 */
async function ticketsWithReplies(db: Database, where: string, params: unknown[], limit: number): Promise<Ticket[]> {
  const page = `SELECT t.id FROM tickets t ${where} ORDER BY t.created_at DESC, t.id DESC LIMIT ${limit}`;
  const [tickets, replies] = await db.batch<TicketRow | Reply>([
    db.prepare(`SELECT ${TICKET_COLUMNS} FROM tickets t ${where} ORDER BY t.created_at DESC, t.id DESC LIMIT ${limit}`).bind(...params),
    db.prepare(latestRepliesOf(page)).bind(...params),
  ]);
  return withReplies((tickets?.results ?? []) as TicketRow[], (replies?.results ?? []) as Reply[]);
}

/** Tickets newest first, `limit` at a time, after `after` when paging on. */
export async function listTickets(db: Database, limit: number, after: PagePosition | null): Promise<TicketPage> {
  const where = after ? "WHERE (t.created_at, t.id) < (?1, ?2)" : "";
  const params = after ? [after.createdAt, after.id] : [];
  const { items, next } = pageOf(await ticketsWithReplies(db, where, params, limit + 1), limit);
  return { tickets: items, next };
}

/** One ticket with its latest replies, or null. */
export async function findTicket(db: Database, id: string): Promise<Ticket | null> {
  const [ticket] = await ticketsWithReplies(db, "WHERE t.id = ?1", [id], 1);
  return ticket ?? null;
}

/** The statement that stores `ticket` (which has no replies yet: its reply_count starts at 0). */
export function insertTicket(db: Database, ticket: Ticket): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO tickets (id, title, description, status, assigned_to, user_initials, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`,
    )
    .bind(ticket.id, ticket.title, ticket.description, ticket.status, ticket.assignedTo, ticket.userInitials, ticket.createdAt);
}

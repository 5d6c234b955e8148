import type { PagePosition } from "../cursor.ts";
import { REPLY_COLUMNS, TICKET_COLUMNS, withReplies, type Reply, type Ticket } from "./rows.ts";
import type { Database } from "./database.ts";

/** One page of tickets, newest first, and where the next page starts (if there is one). */
export interface TicketPage {
  tickets: Ticket[];
  next: PagePosition | null;
}

type TicketRow = Omit<Ticket, "replies">;

/**
 * Reads tickets selected by `where` (at most `limit`, newest first) and their replies in one
 * batch: one round trip, and one consistent read, as the batch is a single transaction.
 */
async function ticketsWithReplies(db: Database, where: string, params: unknown[], limit: number): Promise<Ticket[]> {
  const page = `SELECT t.id FROM tickets t ${where} ORDER BY t.created_at DESC, t.id DESC LIMIT ${limit}`;
  const [tickets, replies] = await db.batch<TicketRow | Reply>([
    db.prepare(`SELECT ${TICKET_COLUMNS} FROM tickets t ${where} ORDER BY t.created_at DESC, t.id DESC LIMIT ${limit}`).bind(...params),
    db.prepare(`SELECT ${REPLY_COLUMNS} FROM replies r WHERE r.ticket_id IN (${page}) ORDER BY r.created_at, r.id`).bind(...params),
  ]);
  return withReplies((tickets?.results ?? []) as TicketRow[], (replies?.results ?? []) as Reply[]);
}

/** Tickets newest first, `limit` at a time, after `after` when paging on. */
export async function listTickets(db: Database, limit: number, after: PagePosition | null): Promise<TicketPage> {
  const where = after ? "WHERE (t.created_at, t.id) < (?1, ?2)" : "";
  const params = after ? [after.createdAt, after.id] : [];
  // One ticket more than asked tells whether another page exists without a COUNT.
  const found = await ticketsWithReplies(db, where, params, limit + 1);
  const tickets = found.slice(0, limit);
  const last = tickets.at(-1);
  const next = found.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null;
  return { tickets, next };
}

/** One ticket with its replies, or null. */
export async function findTicket(db: Database, id: string): Promise<Ticket | null> {
  const [ticket] = await ticketsWithReplies(db, "WHERE t.id = ?1", [id], 1);
  return ticket ?? null;
}

/** The title of a ticket, or null when there is no such ticket. */
export async function findTicketTitle(db: Database, id: string): Promise<string | null> {
  return db.prepare("SELECT title FROM tickets WHERE id = ?1").bind(id).first<string>("title");
}

/** The statement that stores `ticket` (which has no replies yet). */
export function insertTicket(db: Database, ticket: Ticket): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO tickets (id, title, description, status, assigned_to, user_initials, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`,
    )
    .bind(ticket.id, ticket.title, ticket.description, ticket.status, ticket.assignedTo, ticket.userInitials, ticket.createdAt);
}

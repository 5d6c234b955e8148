import type { PagePosition } from "../cursor.ts";
import { TICKET_WITH_REPLIES_COLUMNS, toTicket, type Ticket, type TicketRow } from "./rows.ts";

/** One page of tickets, newest first, and where the next page starts (if there is one). */
export interface TicketPage {
  tickets: Ticket[];
  next: PagePosition | null;
}

/** Tickets newest first, `limit` at a time, after `after` when paging on. */
export async function listTickets(db: D1Database, limit: number, after: PagePosition | null): Promise<TicketPage> {
  const where = after ? "WHERE (t.created_at, t.id) < (?1, ?2)" : "";
  const params = after ? [after.createdAt, after.id, limit + 1] : [limit + 1];
  const limitParam = after ? "?3" : "?1";
  const { results } = await db
    .prepare(
      `SELECT ${TICKET_WITH_REPLIES_COLUMNS} FROM tickets t ${where}
       ORDER BY t.created_at DESC, t.id DESC LIMIT ${limitParam}`,
    )
    .bind(...params)
    .all<TicketRow>();
  // One row more than asked tells whether another page exists without a COUNT.
  const tickets = results.slice(0, limit).map(toTicket);
  const last = tickets.at(-1);
  const next = results.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null;
  return { tickets, next };
}

/** One ticket with its replies, or null. */
export async function findTicket(db: D1Database, id: string): Promise<Ticket | null> {
  const row = await db
    .prepare(`SELECT ${TICKET_WITH_REPLIES_COLUMNS} FROM tickets t WHERE t.id = ?1`)
    .bind(id)
    .first<TicketRow>();
  return row ? toTicket(row) : null;
}

/** The title of a ticket, or null when there is no such ticket. */
export async function findTicketTitle(db: D1Database, id: string): Promise<string | null> {
  return db.prepare("SELECT title FROM tickets WHERE id = ?1").bind(id).first<string>("title");
}

/** The statement that stores `ticket` (which has no replies yet). */
export function insertTicket(db: D1Database, ticket: Ticket): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO tickets (id, title, description, status, assigned_to, user_initials, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`,
    )
    .bind(ticket.id, ticket.title, ticket.description, ticket.status, ticket.assignedTo, ticket.userInitials, ticket.createdAt);
}

import { REPLY_COLUMNS, type Reply } from "./rows.ts";
import type { Database } from "./database.ts";

/** A reply with the title of its ticket, as `GET /replies` answers it. */
export interface ReplyWithTitle extends Reply {
  title: string;
}

/** The statement that stores `reply`. Its foreign key fails the whole batch if the ticket does not exist. */
export function insertReply(db: Database, reply: Reply): D1PreparedStatement {
  return db
    .prepare("INSERT INTO replies (id, ticket_id, user, message, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
    .bind(reply.id, reply.ticketId, reply.user, reply.message, reply.createdAt);
}

/** The latest `limit` replies across all tickets, newest first. */
export async function latestReplies(db: Database, limit: number): Promise<ReplyWithTitle[]> {
  const { results } = await db
    .prepare(
      `SELECT ${REPLY_COLUMNS}, t.title
       FROM replies r JOIN tickets t ON t.id = r.ticket_id
       ORDER BY r.created_at DESC, r.id DESC LIMIT ?1`,
    )
    .bind(limit)
    .all<ReplyWithTitle>();
  return results;
}

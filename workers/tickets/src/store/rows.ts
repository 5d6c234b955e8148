/** A reply as the API answers it. */
export interface Reply {
  id: string;
  ticketId: string;
  user: string;
  message: string;
  createdAt: string;
}

/**
 * How many replies a ticket answer embeds: its latest, so that the answer's size does not grow
 * with the ticket's replies. `GET /tickets/:id/replies` pages through all of them.
 */
export const EMBEDDED_REPLIES = 20;

/**
 * A ticket as the API answers it: its latest {@link EMBEDDED_REPLIES} replies, oldest first, and
 * how many replies it has in all.
 */
export interface Ticket {
  id: string;
  title: string;
  description: string;
  status: string;
  assignedTo: string;
  userInitials: string;
  createdAt: string;
  replyCount: number;
  replies: Reply[];
}

/** Ticket columns under the API's names. `reply_count` is kept by triggers (migrations/0004). */
export const TICKET_COLUMNS = `t.id, t.title, t.description, t.status, t.assigned_to AS assignedTo,
  t.user_initials AS userInitials, t.created_at AS createdAt, t.reply_count AS replyCount`;

/** Reply columns under the API's names. */
export const REPLY_COLUMNS = "r.id, r.ticket_id AS ticketId, r.user, r.message, r.created_at AS createdAt";

/** Oldest first: by `createdAt`, then by id (ids of one millisecond count up). */
const oldestFirst = (a: Reply, b: Reply) =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * Attaches to each ticket its replies, oldest first. Replies come as rows of their own (not one
 * JSON array per ticket), so a ticket with long replies never exceeds D1's row size.
 */
export function withReplies(tickets: Omit<Ticket, "replies">[], replies: Reply[]): Ticket[] {
  const byTicket = new Map<string, Reply[]>(tickets.map((ticket) => [ticket.id, []]));
  for (const reply of replies) byTicket.get(reply.ticketId)?.push(reply);
  return tickets.map((ticket) => ({ ...ticket, replies: (byTicket.get(ticket.id) ?? []).sort(oldestFirst) }));
}

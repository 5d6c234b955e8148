/** A reply as the API answers it. */
export interface Reply {
  id: string;
  ticketId: string;
  user: string;
  message: string;
  createdAt: string;
}

/** A ticket as the API answers it, with its replies oldest first. */
export interface Ticket {
  id: string;
  title: string;
  description: string;
  status: string;
  assignedTo: string;
  userInitials: string;
  createdAt: string;
  replies: Reply[];
}

/** Ticket columns under the API's names. */
export const TICKET_COLUMNS = `t.id, t.title, t.description, t.status, t.assigned_to AS assignedTo,
  t.user_initials AS userInitials, t.created_at AS createdAt`;

/** Reply columns under the API's names. */
export const REPLY_COLUMNS = "r.id, r.ticket_id AS ticketId, r.user, r.message, r.created_at AS createdAt";

/**
 * Attaches to each ticket its replies, oldest first. Replies come as rows of their own (not one
 * JSON array per ticket), so a ticket with many long replies never exceeds D1's row size.
 */
export function withReplies(tickets: Omit<Ticket, "replies">[], replies: Reply[]): Ticket[] {
  const byTicket = new Map<string, Reply[]>(tickets.map((ticket) => [ticket.id, []]));
  for (const reply of replies) byTicket.get(reply.ticketId)?.push(reply);
  return tickets.map((ticket) => ({ ...ticket, replies: byTicket.get(ticket.id) ?? [] }));
}

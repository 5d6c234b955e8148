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

/** A ticket row, with its replies aggregated to a JSON array by the query. */
export interface TicketRow {
  id: string;
  title: string;
  description: string;
  status: string;
  assigned_to: string;
  user_initials: string;
  created_at: string;
  replies_json: string;
}

/**
 * Selects ticket columns plus `replies_json`, the ticket's replies oldest first, so a page of
 * tickets with their replies is one query (one consistent read, one round trip to D1).
 */
export const TICKET_WITH_REPLIES_COLUMNS = `
  t.id, t.title, t.description, t.status, t.assigned_to, t.user_initials, t.created_at,
  (SELECT json_group_array(json_object(
      'id', r.id, 'ticketId', r.ticket_id, 'user', r.user, 'message', r.message, 'createdAt', r.created_at)
    ORDER BY r.created_at, r.id)
   FROM replies r WHERE r.ticket_id = t.id) AS replies_json`;

export function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status,
    assignedTo: row.assigned_to,
    userInitials: row.user_initials,
    createdAt: row.created_at,
    replies: JSON.parse(row.replies_json) as Reply[],
  };
}

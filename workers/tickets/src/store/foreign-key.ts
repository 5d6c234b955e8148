/**
 * True when D1 refused a statement because of a foreign key: the row it points to does not
 * exist. The failed statement rolls back its whole batch.
 *
 * @example
 * ```ts
 * try { await db.batch([insertReply(db, reply)]); }
 * catch (err) { if (isForeignKeyFailure(err)) throw ticketNotFound(reply.ticketId); throw err; }
 * ```
 */
export const isForeignKeyFailure = (err: unknown): boolean =>
  err instanceof Error && /FOREIGN KEY constraint failed/.test(err.message);

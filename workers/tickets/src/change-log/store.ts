import type { Database } from "../store/database.ts";
import type { Reply, Ticket } from "../store/rows.ts";

/** What a change is about: a ticket, or a reply. */
export type ChangeEntity = "ticket" | "reply";

/** `upsert`: the entity is now `data` (create or update alike); `delete`: it is gone. */
export type ChangeOp = "upsert" | "delete";

/** A ticket's public fields as logged (migrations/0007): the API's names, never its reply count. */
export type TicketChangeData = Omit<Ticket, "id" | "replyCount" | "replies">;

/** A reply's public fields as logged; its ticket is the change's `ticketId`. */
export type ReplyChangeData = Pick<Reply, "user" | "message" | "createdAt">;

/** One entry of the change log, as `GET /changes` answers it. */
export interface Change {
  seq: number;
  entity: ChangeEntity;
  op: ChangeOp;
  /** The ticket's or the reply's id. */
  id: string;
  /** The ticket the entity is (for a ticket, `id` again) or belongs to. */
  ticketId: string;
  /** The whole entity after the change; null for a delete. */
  data: TicketChangeData | ReplyChangeData | null;
  /** Epoch ms of the write, from D1's clock. */
  at: number;
}

/** A page of the change log and the log's highest seq (0 while it is empty). */
export interface ChangePage {
  changes: Change[];
  head: number;
}

type ChangeRow = Omit<Change, "data"> & { data: string | null };

/**
 * The changes with a seq above `after`, at most `limit`, oldest first, and the log's head. One
 * batch: one round trip, and one consistent read, so `head` is at least the last seq of the page
 * (a reader has caught up when they are equal). Both are reads of the primary key: the page a
 * range search that stops after `limit` rows, the head its last entry.
 *
 * @example
 * ```ts
 * const { changes, head } = await changesAfter(c.var.db, 0, 100);
 * ```
 */
export async function changesAfter(db: Database, after: number, limit: number): Promise<ChangePage> {
  const [page, head] = await db.batch<ChangeRow | { head: number }>([
    db
      .prepare(
        `SELECT seq, entity, op, entity_id AS id, ticket_id AS ticketId, data, at
         FROM change_log WHERE seq > ?1 ORDER BY seq LIMIT ?2`,
      )
      .bind(after, limit),
    db.prepare("SELECT coalesce(max(seq), 0) AS head FROM change_log"),
  ]);
  const rows = (page?.results ?? []) as ChangeRow[];
  return {
    changes: rows.map((row) => ({ ...row, data: row.data === null ? null : (JSON.parse(row.data) as Change["data"]) })),
    head: ((head?.results ?? []) as { head: number }[])[0]?.head ?? 0,
  };
}

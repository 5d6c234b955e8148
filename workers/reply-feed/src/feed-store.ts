import type { ReplyCreatedEvent } from "../../../shared/events/reply-created.ts";
import { FEED_SIZE, feedReplyOf, type FeedReply } from "./feed-reply.ts";

/**
 * How long applied event ids are remembered: 24 hours. Redeliveries come within that (Queue
 * retries span about 25 minutes, an outbox re-drive of an event that was sent but not marked
 * within minutes). An older repeat still changes nothing: its reply is either in the feed (the
 * reply id is the primary key) or was trimmed, and then it is older than the 10th and trimmed again.
 */
export const APPLIED_EVENT_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * What applying an event did: `applied` (the reply is in the feed now), `duplicate` (this event or
 * this reply was there already), `superseded` (older than the feed's 10th reply: trimmed at once).
 */
export type ApplyOutcome = { outcome: "applied"; reply: FeedReply } | { outcome: "duplicate" | "superseded" };

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS replies (
    id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL, title TEXT NOT NULL, user TEXT NOT NULL,
    message TEXT NOT NULL, created_at TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS replies_by_time ON replies (created_at, id);
  CREATE TABLE IF NOT EXISTS applied_events (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS applied_events_by_age ON applied_events (applied_at);
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`;

/**
 * The feed in a Durable Object's SQLite storage: at most {@link FEED_SIZE} replies, ordered by their
 * own `createdAt` then id (a Queue delivers at least once and in no particular order), each change
 * and its trim in one synchronous transaction.
 *
 * @example
 * ```ts
 * const store = new FeedStore(ctx.storage);
 * store.apply(event, Date.now()); // { outcome: "applied", reply }
 * store.latest(); // oldest first
 * ```
 */
export class FeedStore {
  readonly #storage: DurableObjectStorage;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
    storage.sql.exec(SCHEMA);
  }

  /** The feed, oldest first. */
  latest(): FeedReply[] {
    return this.#storage.sql
      .exec<FeedReply>(
        `SELECT id, ticket_id AS ticketId, title, user, message, created_at AS createdAt
         FROM replies ORDER BY created_at, id`,
      )
      .toArray();
  }

  /** Applies a `reply.created` event once: a repeat of its id, or of its reply, changes nothing. */
  apply(event: ReplyCreatedEvent, now: number): ApplyOutcome {
    const { sql } = this.#storage;
    return this.#storage.transactionSync((): ApplyOutcome => {
      if (sql.exec("SELECT 1 FROM applied_events WHERE id = ?", event.id).toArray().length > 0) return { outcome: "duplicate" };
      sql.exec("DELETE FROM applied_events WHERE applied_at < ?", now - APPLIED_EVENT_RETENTION_MS);
      sql.exec("INSERT INTO applied_events (id, applied_at) VALUES (?, ?)", event.id, now);
      const reply = feedReplyOf(event);
      if (!this.#insert(reply)) return { outcome: "duplicate" };
      this.#trim();
      const kept = sql.exec("SELECT 1 FROM replies WHERE id = ?", reply.id).toArray().length > 0;
      return kept ? { outcome: "applied", reply } : { outcome: "superseded" };
    });
  }

  /** True once a first fill has succeeded (see {@link fill}). */
  isFilled(): boolean {
    return this.#storage.sql.exec("SELECT 1 FROM meta WHERE key = 'filled_at'").toArray().length > 0;
  }

  /**
   * Merges replies read from the tickets service into the feed and records that the first fill is
   * done. Returns the replies that entered the feed (new, and not trimmed at once), oldest first.
   */
  fill(replies: readonly FeedReply[], now: number): FeedReply[] {
    return this.#storage.transactionSync(() => {
      const inserted = new Set(replies.filter((reply) => this.#insert(reply)).map((reply) => reply.id));
      this.#trim();
      this.#storage.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('filled_at', ?)", new Date(now).toISOString());
      return this.latest().filter((reply) => inserted.has(reply.id));
    });
  }

  /** Inserts a reply unless its id is there already; true when it was inserted. */
  #insert(reply: FeedReply): boolean {
    return (
      this.#storage.sql
        .exec(
          `INSERT INTO replies (id, ticket_id, title, user, message, created_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO NOTHING RETURNING id`,
          reply.id, reply.ticketId, reply.title, reply.user, reply.message, reply.createdAt,
        )
        .toArray().length > 0
    );
  }

  /** Keeps the newest {@link FEED_SIZE} replies. */
  #trim(): void {
    this.#storage.sql.exec(
      "DELETE FROM replies WHERE id NOT IN (SELECT id FROM replies ORDER BY created_at DESC, id DESC LIMIT ?)",
      FEED_SIZE,
    );
  }
}

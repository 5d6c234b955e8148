import type { ReplyCreatedEvent } from "#shared/events/reply-created.ts";
import { FEED_SIZE, feedReplyOf, type FeedReply } from "./feed-reply.ts";

/**
 * What applying an event did: `applied` (the reply is in the feed now), `duplicate` (its reply was
 * there already: a redelivery, or a re-drive of an event that had been sent), `superseded` (older
 * than the feed's 10th reply: trimmed at once).
 */
export type ApplyOutcome = { outcome: "applied"; reply: FeedReply } | { outcome: "duplicate" | "superseded" };

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS replies (
    id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL, title TEXT NOT NULL, user TEXT NOT NULL,
    message TEXT NOT NULL, created_at TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS replies_by_time ON replies (created_at, id);
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`;

/**
 * The feed in a Durable Object's SQLite storage: at most {@link FEED_SIZE} replies, ordered by their
 * own `createdAt` then id (a Queue delivers at least once and in no particular order), each change
 * and its trim in one synchronous transaction.
 *
 * @example
 * ```ts
 * const store = new FeedStore(ctx.storage);
 * store.apply(event); // { outcome: "applied", reply }
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

  /**
   * Applies a `reply.created` event once. Each reply has exactly one event, so the reply id is the
   * key: a redelivered event finds its reply present, or (if it was trimmed since) is older than
   * the 10th reply and is trimmed again. No table of event ids is needed, and none can grow.
   */
  apply(event: ReplyCreatedEvent): ApplyOutcome {
    const { sql } = this.#storage;
    return this.#storage.transactionSync((): ApplyOutcome => {
      const reply = feedReplyOf(event);
      if (!this.#insert(reply)) return { outcome: "duplicate" };
      this.#trim();
      const kept = sql.exec("SELECT 1 FROM replies WHERE id = ?", reply.id).toArray().length > 0;
      return kept ? { outcome: "applied", reply } : { outcome: "superseded" };
    });
  }

  /** True once a first fill has succeeded (see {@link fill}). */
  isFilled(): boolean {
    return this.#meta("filled_at") !== null;
  }

  /** Before this time (epoch ms) no fill is tried: kept in storage, so it outlives hibernation. */
  fillDeferredUntil(): number {
    return Number(this.#meta("fill_deferred_until") ?? 0);
  }

  /** Defers the next fill after a failed one. */
  deferFill(until: number): void {
    this.#storage.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('fill_deferred_until', ?)", String(until));
  }

  #meta(key: string): string | null {
    const [row] = this.#storage.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray();
    return row?.value ?? null;
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

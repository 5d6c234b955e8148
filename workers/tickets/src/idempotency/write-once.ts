import type { Context } from "hono";
import { IDEMPOTENT_REPLAY_HEADER } from "#shared/headers.ts";
import { idempotencyKeyOf } from "#shared/http/idempotency-key/index.ts";
import { describeError, logEvent } from "#shared/http/log.ts";
import type { TicketsAppEnv } from "../env.ts";
import { sendReplayed } from "../outbox/send.ts";
import { fingerprintOf, IDEMPOTENCY_RETENTION_MS } from "./key.ts";
import { storedResult, type WriteResult } from "./stored-result.ts";

/** Options of {@link writeOnce}. */
export interface WriteOnceOptions {
  /**
   * The id of the outbox event `statements` write, stored with the key: a replay that finds the
   * event still unsent sends it (see outbox/send.ts `sendReplayed`).
   */
  eventId?: string;
  /**
   * Runs once this request's statements have committed, with their results (in order; the key's
   * own statements are not among them); not on a replay, which wrote nothing. The place to start
   * work that must follow the commit, such as sending an outbox event.
   */
  afterCommit?: (results: D1Result[]) => void;
}

/** Runs the work that follows a commit; the write stands whatever it throws, so it is logged, not answered. */
function afterCommit(c: Context<TicketsAppEnv>, options: WriteOnceOptions, results: D1Result[]): void {
  try {
    options.afterCommit?.(results);
  } catch (err) {
    logEvent("error", "tickets.after_commit_failed", { requestId: c.var.requestId, ...describeError(err) });
  }
}

const isDuplicateKey = (err: unknown) =>
  err instanceof Error && /UNIQUE constraint failed: idempotency_keys\.key/.test(err.message);

/**
 * Applies `statements` in one D1 transaction and answers `result`. With an Idempotency-Key, the
 * key and its result are stored in that same transaction: a repeat (also a concurrent one, which
 * loses on the key's primary key) writes nothing and answers the stored result, and sends the
 * write's outbox event if that is still unsent. A statement that fails rolls back everything,
 * the key included, and its error is thrown.
 *
 * @example
 * ```ts
 * return writeOnce(c, { status: 201, body: reply }, [insertReply(db, reply)], {
 *   afterCommit: () => c.executionCtx.waitUntil(notify(reply)),
 * });
 * ```
 */
export async function writeOnce(
  c: Context<TicketsAppEnv>,
  result: WriteResult,
  statements: D1PreparedStatement[],
  options: WriteOnceOptions = {},
): Promise<Response> {
  const { db } = c.var;
  const key = idempotencyKeyOf(c.req.raw.headers);
  if (key === undefined) {
    afterCommit(c, options, await db.batch(statements));
    return c.json(result.body, result.status);
  }
  const fingerprint = await fingerprintOf(c);
  // No look-up first: the key's primary key decides. A first write (the common case, as the
  // gateway keys every write) costs one round trip; a repeat fails on the key, rolls back whole,
  // and answers the stored result.
  const now = Date.now();
  let results: D1Result[];
  try {
    results = await db.batch([
      // An expired row for this key would block the insert below: it no longer counts.
      db.prepare("DELETE FROM idempotency_keys WHERE key = ?1 AND created_at < ?2").bind(key, now - IDEMPOTENCY_RETENTION_MS),
      db
        .prepare("INSERT INTO idempotency_keys (key, fingerprint, status, body, created_at, event_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(key, fingerprint, result.status, JSON.stringify(result.body), now, options.eventId ?? null),
      ...statements,
    ]);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const stored = await storedResult(db, key, fingerprint);
    if (!stored) throw err;
    // The write committed, but its event may not have gone out (its request timed out or died
    // before sending): send it now rather than a minute later from the re-drive.
    if (stored.unsentEventId) c.executionCtx.waitUntil(sendReplayed(c.env.DB, c.env.REPLY_EVENTS, stored.unsentEventId));
    return c.json(stored.body, stored.status, { [IDEMPOTENT_REPLAY_HEADER]: "true" });
  }
  afterCommit(c, options, results.slice(2));
  return c.json(result.body, result.status);
}

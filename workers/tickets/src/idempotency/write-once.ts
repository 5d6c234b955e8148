import type { Context } from "hono";
import { IDEMPOTENT_REPLAY_HEADER } from "#shared/headers.ts";
import type { ApiError } from "#shared/http/api-error.ts";
import { idempotencyKeyOf } from "#shared/http/idempotency-key/index.ts";
import { describeError, logEvent } from "#shared/http/log.ts";
import type { TicketsAppEnv } from "../env.ts";
import { eventQueues, sendReplayed } from "../outbox/send.ts";
import type { Database } from "../store/database.ts";
import { fingerprintOf, IDEMPOTENCY_RETENTION_MS } from "./key.ts";
import { storedResult, type StoredResult, type WriteResult } from "./stored-result.ts";

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
  /**
   * For a write that may find nothing to do (an unknown id, a cap reached): the row whose presence
   * once `statements` ran says they were applied. When it is absent, the batch stores no key (a
   * repeat tries again; a key stored by an earlier success still answers its result) and
   * `refusal()` is thrown. `statements` must then change nothing without that row.
   */
  appliedIf?: AppliedIf;
}

/** See {@link WriteOnceOptions.appliedIf}. */
export interface AppliedIf {
  table: "webhook_subscriptions";
  id: string;
  refusal: () => ApiError;
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

/** The statement that reads whether the write was applied (see {@link AppliedIf}); it goes last in the batch. */
const appliedCheck = (db: Database, { table, id }: AppliedIf) =>
  db.prepare(`SELECT 1 AS applied FROM ${table} WHERE id = ?1`).bind(id);

const wasApplied = (check: D1Result | undefined) => (check?.results.length ?? 0) > 0;

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
  const { appliedIf } = options;
  const check = appliedIf ? [appliedCheck(db, appliedIf)] : [];
  const key = idempotencyKeyOf(c.req.raw.headers);
  if (key === undefined) {
    const results = await db.batch([...statements, ...check]);
    if (appliedIf && !wasApplied(results.at(-1))) throw appliedIf.refusal();
    afterCommit(c, options, results.slice(0, statements.length));
    return c.json(result.body, result.status);
  }
  const fingerprint = await fingerprintOf(c);
  // No look-up first: the key's primary key decides. A first write (the common case, as the
  // gateway keys every write) costs one round trip; a repeat fails on the key, rolls back whole,
  // and answers the stored result.
  const now = Date.now();
  const keyRow = [key, fingerprint, result.status, JSON.stringify(result.body), now, options.eventId ?? null];
  const keyColumns = "INSERT INTO idempotency_keys (key, fingerprint, status, body, created_at, event_id)";
  // A write that may be refused stores its key after it, only when it was applied.
  const keyInsert = appliedIf
    ? db.prepare(`${keyColumns} SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM ${appliedIf.table} WHERE id = ?7)`).bind(...keyRow, appliedIf.id)
    : db.prepare(`${keyColumns} VALUES (?1, ?2, ?3, ?4, ?5, ?6)`).bind(...keyRow);
  // An expired row for this key would block the insert: it no longer counts.
  const expired = db.prepare("DELETE FROM idempotency_keys WHERE key = ?1 AND created_at < ?2").bind(key, now - IDEMPOTENCY_RETENTION_MS);
  let results: D1Result[];
  try {
    results = await db.batch(appliedIf ? [expired, ...statements, keyInsert, ...check] : [expired, keyInsert, ...statements]);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const stored = await storedResult(db, key, fingerprint);
    if (!stored) throw err;
    return replay(c, stored);
  }
  if (appliedIf && !wasApplied(results.at(-1))) {
    // Not applied now, but maybe by this key's first request (since then the row went, or the cap was reached).
    const stored = await storedResult(db, key, fingerprint);
    if (stored) return replay(c, stored);
    throw appliedIf.refusal();
  }
  afterCommit(c, options, appliedIf ? results.slice(1, 1 + statements.length) : results.slice(2));
  return c.json(result.body, result.status);
}

/** Answers a repeat with the stored result of its key's first request. */
function replay(c: Context<TicketsAppEnv>, stored: StoredResult): Response {
  // The write committed, but its event may not have gone out (its request timed out or died
  // before sending): send it now rather than a minute later from the re-drive.
  if (stored.unsentEventId) c.executionCtx.waitUntil(sendReplayed(c.env.DB, eventQueues(c.env), stored.unsentEventId));
  return c.json(stored.body, stored.status, { [IDEMPOTENT_REPLAY_HEADER]: "true" });
}

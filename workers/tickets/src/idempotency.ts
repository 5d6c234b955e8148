import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { ApiError } from "#shared/http/api-error.ts";
import { describeError, logEvent } from "#shared/http/log.ts";
import type { TicketsAppEnv } from "./env.ts";
import type { Database } from "./store/database.ts";

import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_PATTERN as KEY_PATTERN, IDEMPOTENT_REPLAY_HEADER } from "#shared/headers.ts";

/**
 * How long a key's result is kept: 24 hours. Retries (the gateway's fallback within one request,
 * a client's retry after a timeout) happen within seconds to minutes; a day covers them with room.
 */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

/** The result of a write, stored under its key so a repeat answers the same. */
export interface WriteResult {
  status: 200 | 201;
  body: unknown;
}

async function fingerprintOf(c: Context<TicketsAppEnv>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(await c.req.text()));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${c.req.method} ${c.req.path} ${hex}`;
}

function keyOf(c: Context<TicketsAppEnv>): string | undefined {
  const key = c.req.header(IDEMPOTENCY_KEY_HEADER);
  if (key === undefined) return undefined;
  if (!KEY_PATTERN.test(key)) {
    throw new ApiError(400, "invalid_request", "Idempotency-Key: must be 1 to 255 printable ASCII characters");
  }
  return key;
}

/**
 * Rejects a malformed Idempotency-Key before anything else is looked at, so the client learns
 * of it first rather than after fixing its body or its ticket id.
 *
 * @example
 * ```ts
 * app.use(checkIdempotencyKey());
 * ```
 */
export const checkIdempotencyKey = () =>
  createMiddleware<TicketsAppEnv>(async (c, next) => {
    keyOf(c);
    await next();
  });

/** Runs the work that follows a commit; the write stands whatever it throws, so it is logged, not answered. */
function afterCommit(c: Context<TicketsAppEnv>, options: WriteOnceOptions): void {
  try {
    options.afterCommit?.();
  } catch (err) {
    logEvent("error", "tickets.after_commit_failed", { requestId: c.var.requestId, ...describeError(err) });
  }
}

async function storedResult(db: Database, key: string, fingerprint: string): Promise<WriteResult | null> {
  const row = await db
    .prepare("SELECT fingerprint, status, body FROM idempotency_keys WHERE key = ?1 AND created_at >= ?2")
    .bind(key, Date.now() - IDEMPOTENCY_RETENTION_MS)
    .first<{ fingerprint: string; status: 200 | 201; body: string }>();
  if (!row) return null;
  if (row.fingerprint !== fingerprint) {
    throw new ApiError(422, "idempotency_key_reused", "Idempotency-Key was already used for a different request");
  }
  return { status: row.status, body: JSON.parse(row.body) };
}

/** Options of {@link writeOnce}. */
export interface WriteOnceOptions {
  /**
   * Runs once this request's statements have committed; not on a replay, which wrote nothing.
   * The place to start work that must follow the commit, such as sending an outbox event.
   */
  afterCommit?: () => void;
}

const isDuplicateKey = (err: unknown) =>
  err instanceof Error && /UNIQUE constraint failed: idempotency_keys\.key/.test(err.message);

/**
 * Applies `statements` in one D1 transaction and answers `result`. With an Idempotency-Key, the
 * key and its result are stored in that same transaction: a repeat (also a concurrent one, which
 * loses on the key's primary key) writes nothing and answers the stored result.
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
  const key = keyOf(c);
  if (key === undefined) {
    await db.batch(statements);
    afterCommit(c, options);
    return c.json(result.body, result.status);
  }
  const fingerprint = await fingerprintOf(c);
  // No look-up first: the key's primary key decides. A first write (the common case, as the
  // gateway keys every write) costs one round trip; a repeat fails on the key, rolls back whole,
  // and answers the stored result.
  const now = Date.now();
  try {
    await db.batch([
      // An expired row for this key would block the insert below: it no longer counts.
      db.prepare("DELETE FROM idempotency_keys WHERE key = ?1 AND created_at < ?2").bind(key, now - IDEMPOTENCY_RETENTION_MS),
      db
        .prepare("INSERT INTO idempotency_keys (key, fingerprint, status, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(key, fingerprint, result.status, JSON.stringify(result.body), now),
      ...statements,
    ]);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const stored = await storedResult(db, key, fingerprint);
    if (!stored) throw err;
    return c.json(stored.body, stored.status, { [IDEMPOTENT_REPLAY_HEADER]: "true" });
  }
  afterCommit(c, options);
  return c.json(result.body, result.status);
}

/** Deletes keys older than the retention period; returns how many went. */
export async function pruneIdempotencyKeys(db: D1Database, now = Date.now()): Promise<number> {
  const { meta } = await db
    .prepare("DELETE FROM idempotency_keys WHERE created_at < ?1")
    .bind(now - IDEMPOTENCY_RETENTION_MS)
    .run();
  return meta.changes;
}

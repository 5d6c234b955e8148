import { ApiError } from "#shared/http/api-error.ts";
import type { Database } from "../store/database.ts";
import { IDEMPOTENCY_RETENTION_MS } from "./key.ts";

/** The result of a write, stored under its key so a repeat answers the same. */
export interface WriteResult {
  status: 200 | 201;
  body: unknown;
}

/** A write's stored result, and the id of its outbox event if that event has not been sent yet. */
export interface StoredResult extends WriteResult {
  unsentEventId: string | null;
}

interface StoredRow {
  fingerprint: string;
  status: 200 | 201;
  body: string;
  unsentEventId: string | null;
}

/**
 * The stored result of the write made under `key`, null when there is none (or it expired); a
 * key stored for another request is a 422. In the same statement, whether the write's outbox
 * event is still unsent: a replay sends it then (see write-once.ts), and otherwise touches
 * nothing.
 *
 * @example
 * ```ts
 * const stored = await storedResult(db, "3f1c9a52-reply-1", await fingerprintOf(c));
 * ```
 */
export async function storedResult(db: Database, key: string, fingerprint: string, now = Date.now()): Promise<StoredResult | null> {
  const row = await db
    .prepare(
      `SELECT k.fingerprint, k.status, k.body, o.id AS unsentEventId
       FROM idempotency_keys k LEFT JOIN outbox o ON o.id = k.event_id AND o.sent_at IS NULL
       WHERE k.key = ?1 AND k.created_at >= ?2`,
    )
    .bind(key, now - IDEMPOTENCY_RETENTION_MS)
    .first<StoredRow>();
  if (!row) return null;
  if (row.fingerprint !== fingerprint) {
    throw new ApiError(422, "idempotency_key_reused", "Idempotency-Key was already used for a different request");
  }
  return { status: row.status, body: JSON.parse(row.body), unsentEventId: row.unsentEventId };
}

import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_PATTERN } from "#shared/headers.ts";
import { ApiError } from "#shared/http/api-error.ts";
import type { TicketsAppEnv } from "../env.ts";

/**
 * How long a key's result is kept: 24 hours. Retries (the gateway's fallback within one request,
 * a client's retry after a timeout) happen within seconds to minutes; a day covers them with room.
 */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * The request's Idempotency-Key, undefined without one; a malformed key is a 400.
 *
 * @example
 * ```ts
 * const key = idempotencyKeyOf(c); // "3f1c9a52-reply-1"
 * ```
 */
export function idempotencyKeyOf(c: Context<TicketsAppEnv>): string | undefined {
  const key = c.req.header(IDEMPOTENCY_KEY_HEADER);
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new ApiError(400, "invalid_request", "Idempotency-Key: must be 1 to 255 printable ASCII characters");
  }
  return key;
}

/**
 * What makes two requests the same write: method, path and a hash of the body. A key reused with
 * another fingerprint is a 422.
 *
 * @example
 * ```ts
 * const fingerprint = await fingerprintOf(c); // "POST /tickets 9f86d08..."
 * ```
 */
export async function fingerprintOf(c: Context<TicketsAppEnv>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(await c.req.text()));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${c.req.method} ${c.req.path} ${hex}`;
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
    idempotencyKeyOf(c);
    await next();
  });

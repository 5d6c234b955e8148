import type { Context } from "hono";
import type { TicketsAppEnv } from "../env.ts";

/**
 * How long a key's result is kept: 24 hours. Retries (the gateway's fallback within one request,
 * a client's retry after a timeout) happen within seconds to minutes; a day covers them with room.
 */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

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

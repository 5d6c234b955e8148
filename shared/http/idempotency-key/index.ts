import { createMiddleware } from "hono/factory";
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_PATTERN } from "../../headers.ts";
import { ApiError } from "../api-error.ts";

const RULE = "must be 1 to 255 printable ASCII characters";

/**
 * The request's `Idempotency-Key`, undefined without one. A malformed key (`IDEMPOTENCY_KEY_PATTERN`)
 * is a 400: the gateway echoes a write's key back to the client, so a key nobody checked would put
 * 20 KB, or control bytes, into a response header; the tickets service stores it.
 *
 * @example
 * ```ts
 * idempotencyKeyOf(c.req.raw.headers); // "3f1c9a52-reply-1", or undefined
 * ```
 */
export function idempotencyKeyOf(headers: Headers): string | undefined {
  const key = headers.get(IDEMPOTENCY_KEY_HEADER);
  if (key === null) return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new ApiError(400, "invalid_request", `Idempotency-Key: ${RULE}`, { details: [{ path: "Idempotency-Key", message: RULE }] });
  }
  return key;
}

/**
 * Refuses a malformed `Idempotency-Key` before anything else is looked at: the gateway before any
 * service is called, a service before it reads the body or the ticket id.
 *
 * @example
 * ```ts
 * app.use(checkIdempotencyKey()); // Idempotency-Key: k\x01k → 400 invalid_request
 * ```
 */
export const checkIdempotencyKey = () =>
  // Not async: it runs on every request, and most carry no key.
  createMiddleware((c, next) => {
    idempotencyKeyOf(c.req.raw.headers);
    return next();
  });

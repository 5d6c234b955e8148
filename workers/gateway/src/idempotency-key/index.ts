import { createMiddleware } from "hono/factory";
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_PATTERN } from "#shared/headers.ts";
import { ApiError } from "#shared/http/api-error.ts";

/**
 * Refuses a malformed `Idempotency-Key` (the tickets service's rule, `IDEMPOTENCY_KEY_PATTERN`)
 * with a 400 before any service is called. The gateway echoes the key of a write back to the
 * client, so a key it did not check would put 20 KB, or control bytes, into a response header.
 *
 * @example
 * ```ts
 * app.use(checkIdempotencyKey()); // Idempotency-Key: k\x01k → 400 invalid_request
 * ```
 */
export const checkIdempotencyKey = () =>
  // Not async: it runs on every request, and most carry no key.
  createMiddleware((c, next) => {
    const key = c.req.raw.headers.get(IDEMPOTENCY_KEY_HEADER);
    if (key !== null && !IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw new ApiError(400, "invalid_request", "Idempotency-Key: must be 1 to 255 printable ASCII characters", {
        details: [{ path: "Idempotency-Key", message: "must be 1 to 255 printable ASCII characters" }],
      });
    }
    return next();
  });

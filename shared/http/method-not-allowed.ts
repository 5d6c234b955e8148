import type { Env, Hono } from "hono";
import { ApiError } from "./api-error.ts";

/**
 * Answers a known path called with a method it does not take with a 405 and an `Allow` header,
 * instead of a 404 that would suggest the path is wrong. Call it after the routes: it only sees
 * requests they did not answer. List a literal path before a pattern that also matches it.
 *
 * @example
 * ```ts
 * allowOnly(app, { "/tickets": ["GET", "POST"], "/tickets/:id": ["GET"] });
 * // PUT /tickets → 405, Allow: GET, HEAD, POST
 * ```
 */
export function allowOnly<E extends Env>(app: Hono<E>, methodsByPath: Record<string, readonly string[]>): void {
  for (const [path, methods] of Object.entries(methodsByPath)) {
    // Hono answers HEAD with the GET route.
    const allow = [...methods, ...(methods.includes("GET") ? ["HEAD"] : [])].sort().join(", ");
    app.all(path, (c) => {
      throw new ApiError(405, "method_not_allowed", `${c.req.method} is not allowed on ${c.req.path}; allowed: ${allow}`, {
        headers: { allow },
      });
    });
  }
}

import { createMiddleware } from "hono/factory";
import { REQUEST_ID_HEADER } from "../../headers.ts";

/** Accept a caller's id only when it is short and plain, so it is safe to log and forward. */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Context variables set by {@link requestId}. */
export interface RequestIdVariables {
  requestId: string;
}

/**
 * Takes the caller's `x-request-id` (or makes one), exposes it as `c.var.requestId`,
 * and echoes it on the response.
 *
 * @example
 * ```ts
 * app.use(requestId());
 * app.get("/", (c) => c.text(c.var.requestId));
 * ```
 */
export const requestId = () =>
  createMiddleware<{ Variables: RequestIdVariables }>(async (c, next) => {
    const given = c.req.header(REQUEST_ID_HEADER);
    const id = given && ACCEPTABLE_ID.test(given) ? given : crypto.randomUUID();
    c.set("requestId", id);
    await next();
    c.res.headers.set(REQUEST_ID_HEADER, id);
  });

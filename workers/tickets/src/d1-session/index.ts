import { createMiddleware } from "hono/factory";
import { BODILESS_METHODS, D1_BOOKMARK_HEADER } from "#shared/headers.ts";
import { ApiError } from "#shared/http/api-error.ts";
import type { Database } from "../store/database.ts";

/** Context variables set by {@link d1Session}. */
export interface D1SessionVariables {
  /** This request's D1 session: every query of the request goes through it. */
  db: Database;
}

/** Bookmarks are opaque to us; this only keeps what we pass to D1 (and echo) short and plain. */
const BOOKMARK_PATTERN = /^[A-Za-z0-9._:-]{1,256}$/;

/**
 * Runs each request in a D1 session (the Sessions API behind read replication). A request that
 * brings an `x-d1-bookmark` starts at that bookmark, so it sees at least the writes the bookmark
 * followed, whichever tickets version or replica serves it. Without one, a read may be served by
 * any replica and a write starts at the primary. Every answer carries the session's latest
 * bookmark for the client to send with its next request.
 *
 * @example
 * ```ts
 * app.use(d1Session());
 * app.get("/tickets", async (c) => c.json(await listTickets(c.var.db, 50, null)));
 * ```
 */
export const d1Session = () =>
  createMiddleware<{ Bindings: { DB: D1Database }; Variables: D1SessionVariables }>(async (c, next) => {
    const bookmark = c.req.header(D1_BOOKMARK_HEADER);
    if (bookmark !== undefined && !BOOKMARK_PATTERN.test(bookmark)) {
      throw new ApiError(400, "invalid_request", `${D1_BOOKMARK_HEADER}: must be a bookmark this service answered with`);
    }
    const session = c.env.DB.withSession(bookmark ?? (BODILESS_METHODS.has(c.req.method) ? "first-unconstrained" : "first-primary"));
    c.set("db", session);
    await next();
    const latest = session.getBookmark();
    if (latest) c.res.headers.set(D1_BOOKMARK_HEADER, latest);
  });

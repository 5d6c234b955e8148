import type { Context } from "hono";
import { z } from "zod";
import { validate } from "#shared/http/validate.ts";
import { decodeCursor, encodeCursor, type PagePosition } from "../cursor.ts";
import type { TicketsAppEnv } from "../env.ts";
import { pageSizeSchema } from "#shared/http/page-size.ts";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../schemas.ts";

/** The response header carrying the cursor of the next page; absent on the last page. */
export const NEXT_CURSOR_HEADER = "x-next-cursor";

const pageQuerySchema = z.object({
  limit: pageSizeSchema(DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
  cursor: z.string().min(1, "must not be empty").optional(),
});

/**
 * `?limit=&cursor=` of a paged route: the page size (1 to 100, default 50) and where the page
 * starts (null: at the beginning). Anything malformed is a 400.
 *
 * @example
 * ```ts
 * const { limit, after } = pageQuery(c.req.query());
 * ```
 */
export function pageQuery(query: Record<string, string>): { limit: number; after: PagePosition | null } {
  const { limit, cursor } = validate(pageQuerySchema, query, "query");
  return { limit, after: cursor ? decodeCursor(cursor) : null };
}

/**
 * Answers a page: its items as a JSON array, and the next page's cursor in `x-next-cursor`
 * when there is one.
 *
 * @example
 * ```ts
 * return pageAnswer(c, page.tickets, page.next);
 * ```
 */
export function pageAnswer(c: Context<TicketsAppEnv>, items: unknown[], next: PagePosition | null): Response {
  if (next) c.header(NEXT_CURSOR_HEADER, encodeCursor(next));
  return c.json(items);
}

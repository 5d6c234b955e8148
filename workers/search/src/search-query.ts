import { z } from "zod";
import { pageSizeSchema } from "#shared/http/page-size.ts";
import { validate } from "#shared/http/validate.ts";

export const MAX_QUERY_CHARS = 200;
export const DEFAULT_HITS = 10;
export const MAX_HITS = 50;

const searchQuerySchema = z.object({
  q: z
    .string({ error: "required" })
    .transform((q) => q.trim())
    .refine((q) => q.length >= 1 && q.length <= MAX_QUERY_CHARS, `must be 1 to ${MAX_QUERY_CHARS} characters, not blank`),
  limit: pageSizeSchema(DEFAULT_HITS, MAX_HITS),
});

/**
 * `GET /search`'s query: `q` trimmed, 1–200 characters (FTS5 query syntax); `limit` 1–50,
 * default 10. Anything else is a 400 naming each problem.
 *
 * @example
 * ```ts
 * const { q, limit } = searchQuery(c.req.query()); // { q: "password reset", limit: 10 }
 * ```
 */
export const searchQuery = (query: Record<string, string>) => validate(searchQuerySchema, query, "query");

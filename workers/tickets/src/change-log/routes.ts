import { Hono } from "hono";
import { z } from "zod";
import { validate } from "#shared/http/validate.ts";
import type { TicketsAppEnv } from "../env.ts";
import { pageSizeSchema } from "#shared/http/page-size.ts";
import { changesAfter } from "./store.ts";

/** The most changes one `GET /changes` answers. */
export const MAX_CHANGES_PAGE = 500;

/** How many changes `GET /changes` answers without a `limit`. */
export const DEFAULT_CHANGES_PAGE = 100;

const AFTER_MESSAGE = "must be a whole number from 0";

const changesQuerySchema = z.object({
  after: z
    .string()
    .regex(/^\d+$/, AFTER_MESSAGE)
    .transform(Number)
    .refine(Number.isSafeInteger, AFTER_MESSAGE)
    .optional()
    .transform((n) => n ?? 0),
  limit: pageSizeSchema(DEFAULT_CHANGES_PAGE, MAX_CHANGES_PAGE),
});

/**
 * `GET /changes?after=<seq>&limit=<n>`: the change log (migrations/0007) after `after`, for the
 * search pump. Internal: the gateway does not route it; the pump calls it over its service
 * bindings through `shared/dispatch`.
 *
 * - `after`: a whole number ≥ 0, default 0 (from the start); the pump's checkpoint.
 * - `limit`: 1 to {@link MAX_CHANGES_PAGE}, default {@link DEFAULT_CHANGES_PAGE}.
 * - 200: `{ changes, head }`: `changes` ordered by `seq` ascending, each
 *   `{ seq, entity: "ticket"|"reply", op: "upsert"|"delete", id, ticketId, data, at }` where
 *   `data` is the entity's whole public state after the change (null for a delete) and `at` the
 *   write's epoch ms; `head` is the log's highest seq (0 when empty), read in the same
 *   transaction as the page, so the reader has caught up when its last seq equals `head`.
 * - 400 `invalid_request` (the JSON error envelope) for a malformed `after` or `limit`.
 *
 * One D1 round trip, in the request's D1 session. Seqs only grow and are never reused; a write
 * that rolls back takes its seq back, so in practice they have no gaps (a reader must not rely on
 * that: it keeps the last seq it applied, not a count).
 *
 * No `injectFailures` here, unlike the ticket reads of routes/tickets.ts: FAILURE_RATE stands
 * for 1.0.1's flaky ticket queries of the original example, and the pump, reaching this through
 * shared/dispatch, falls back to 1.0.0 when a version fails anyway.
 *
 * @example
 * ```ts
 * const res = await env.TICKETS_V1_0_1.fetch("https://tickets/changes?after=11&limit=2");
 * // 200 {"changes":[
 * //   {"seq":12,"entity":"ticket","op":"upsert","id":"66f0…","ticketId":"66f0…",
 * //    "data":{"title":"Login loops","description":"","status":"Open","assignedTo":"","userInitials":"","createdAt":"2024-09-22T10:00:00.000Z"},
 * //    "at":1727000000000},
 * //   {"seq":13,"entity":"reply","op":"upsert","id":"66f1…","ticketId":"66f0…",
 * //    "data":{"user":"Ana","message":"Try again","createdAt":"2024-09-22T10:00:01.000Z"},"at":1727000001000}],
 * //  "head":13}
 * ```
 */
export function changeLogRoutes() {
  return new Hono<TicketsAppEnv>().get("/changes", async (c) => {
    const { after, limit } = validate(changesQuerySchema, c.req.query(), "query");
    return c.json(await changesAfter(c.var.db, after, limit));
  });
}

import { Hono } from "hono";
import { ApiError } from "#shared/http/api-error.ts";
import { readJson } from "#shared/http/json-body/index.ts";
import { validate } from "#shared/http/validate.ts";
import type { TicketsAppEnv } from "../env.ts";
import type { RandomSource } from "../failure-injection/index.ts";
import { injectFailures } from "../failure-injection/index.ts";
import { createId } from "../ids.ts";
import { writeOnce } from "../idempotency/index.ts";
import { newTicketSchema, idSchema } from "../schemas.ts";
import type { Ticket } from "../store/rows.ts";
import { findTicket, insertTicket, listTickets } from "../store/tickets.ts";
import { pageAnswer, pageQuery } from "./page.ts";

/** `:id` of a route: a well-formed id, or a 400 that says so. */
export const ticketIdParam = (id: string) => validate(idSchema, id, "id");

/**
 * The 404 of every route given the id of a ticket that does not exist.
 *
 * @example
 * ```ts
 * if (!ticket) throw ticketNotFound(id); // 404 {"error":{"code":"not_found","message":"ticket … not found"}}
 * ```
 */
export const ticketNotFound = (id: string) => new ApiError(404, "not_found", `ticket ${id} not found`);

/** Routes under /tickets (a ticket's replies are in replies.ts). */
export function ticketRoutes(random: RandomSource) {
  const fails = injectFailures(random);
  return new Hono<TicketsAppEnv>()
    .get("/", fails, async (c) => {
      const { limit, after } = pageQuery(c.req.query());
      const page = await listTickets(c.var.db, limit, after);
      return pageAnswer(c, page.tickets, page.next);
    })
    .get("/:id", fails, async (c) => {
      const id = ticketIdParam(c.req.param("id"));
      const ticket = await findTicket(c.var.db, id);
      if (!ticket) throw ticketNotFound(id);
      return c.json(ticket);
    })
    .post("/", async (c) => {
      const input = await readJson(c, newTicketSchema);
      const now = new Date();
      const ticket: Ticket = {
        id: createId(now),
        title: input.title,
        description: input.description ?? "",
        status: input.status ?? "Open",
        assignedTo: input.assignedTo ?? "",
        userInitials: input.userInitials ?? "",
        createdAt: now.toISOString(),
        replyCount: 0,
        replies: [],
      };
      return writeOnce(c, { status: 201, body: ticket }, [insertTicket(c.var.db, ticket)]);
    });
}

import { Hono } from "hono";
import { z } from "zod";
import { ApiError } from "#shared/http/api-error.ts";
import { readJson } from "#shared/http/json-body/index.ts";
import { validate } from "#shared/http/validate.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import type { TicketsAppEnv } from "../env.ts";
import type { RandomSource } from "../failure-injection/index.ts";
import { injectFailures } from "../failure-injection/index.ts";
import { createId } from "../ids.ts";
import { writeOnce } from "../idempotency.ts";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, newTicketSchema, pageSizeSchema, ticketIdSchema } from "../schemas.ts";
import type { Ticket } from "../store/rows.ts";
import { findTicket, insertTicket, listTickets } from "../store/tickets.ts";

/** The response header carrying the cursor of the next page; absent on the last page. */
export const NEXT_CURSOR_HEADER = "x-next-cursor";

const listQuerySchema = z.object({
  limit: pageSizeSchema(DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
  cursor: z.string().min(1, "must not be empty").optional(),
});

/** `:id` of a route: a well-formed id, or a 400 that says so. */
export const ticketIdParam = (id: string) => validate(ticketIdSchema, id, "id");

/** Routes under /tickets (replies are in replies.ts). */
export function ticketRoutes(random: RandomSource) {
  const fails = injectFailures(random);
  return new Hono<TicketsAppEnv>()
    .get("/", fails, async (c) => {
      const query = validate(listQuerySchema, c.req.query(), "query");
      const page = await listTickets(c.var.db, query.limit, query.cursor ? decodeCursor(query.cursor) : null);
      if (page.next) c.header(NEXT_CURSOR_HEADER, encodeCursor(page.next));
      return c.json(page.tickets);
    })
    .get("/:id", fails, async (c) => {
      const id = ticketIdParam(c.req.param("id"));
      const ticket = await findTicket(c.var.db, id);
      if (!ticket) throw new ApiError(404, "not_found", `ticket ${id} not found`);
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
        replies: [],
      };
      return writeOnce(c, { status: 201, body: ticket }, [insertTicket(c.var.db, ticket)]);
    });
}

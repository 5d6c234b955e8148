import { Hono, type Context } from "hono";
import { z } from "zod";
import { readJson } from "#shared/http/json-body/index.ts";
import { validate } from "#shared/http/validate.ts";
import type { TicketsAppEnv } from "../env.ts";
import { createId } from "../ids.ts";
import { writeOnce } from "../idempotency/index.ts";
import { committedEvent, insertReplyEvent, replyCreatedEvent } from "../outbox/reply-event.ts";
import { eventQueues, sendCommitted } from "../outbox/send.ts";
import { pageSizeSchema } from "#shared/http/page-size.ts";
import { addCommentSchema, newReplySchema, type NewReply } from "../schemas.ts";
import { insertReply, latestReplies } from "../store/replies.ts";
import type { Reply } from "../store/rows.ts";
import { isForeignKeyFailure } from "../store/foreign-key.ts";
import { replyPage } from "../store/reply-page.ts";
import { pageAnswer, pageQuery } from "./page.ts";
import { ticketIdParam, ticketNotFound } from "./tickets.ts";

/** The most replies one `GET /replies` returns. */
export const MAX_LATEST_REPLIES = 100;

const latestQuerySchema = z.object({ limit: pageSizeSchema(10, MAX_LATEST_REPLIES) });

/**
 * Adds a reply to a ticket: the one write path behind both reply routes, one D1 round trip. The
 * reply and its `reply.created` outbox row commit together, in one batch that also decides the
 * 404: the reply's foreign key fails it (nothing stored, no idempotency key either) when the
 * ticket does not exist, and the outbox insert reads the ticket's title itself. The event is sent
 * after the response, and the cron's re-drive sends it if that fails (see outbox/).
 */
async function addReply(c: Context<TicketsAppEnv>, ticketId: string, input: NewReply): Promise<Response> {
  const { db } = c.var;
  const now = new Date();
  const reply: Reply = { id: createId(now), ticketId, user: input.user, message: input.message, createdAt: now.toISOString() };
  const event = replyCreatedEvent(reply);
  try {
    return await writeOnce(c, { status: 201, body: reply }, [insertReply(db, reply), insertReplyEvent(db, event, now.getTime())], {
      eventId: event.id,
      afterCommit: (results) => c.executionCtx.waitUntil(sendCommitted(c.env.DB, eventQueues(c.env), committedEvent(results.at(-1)))),
    });
  } catch (err) {
    if (isForeignKeyFailure(err)) throw ticketNotFound(ticketId);
    throw err;
  }
}

/**
 * `POST /tickets/:id/replies`, the original's `POST /tickets/addComment`, a ticket's replies page
 * by page (`GET /tickets/:id/replies`), and `GET /replies`.
 */
export function replyRoutes() {
  return new Hono<TicketsAppEnv>()
    .post("/tickets/addComment", async (c) => {
      const { ticketId, ...reply } = await readJson(c, addCommentSchema);
      return addReply(c, ticketId, reply);
    })
    .post("/tickets/:id/replies", async (c) => {
      const ticketId = ticketIdParam(c.req.param("id"));
      return addReply(c, ticketId, await readJson(c, newReplySchema));
    })
    .get("/tickets/:id/replies", async (c) => {
      const ticketId = ticketIdParam(c.req.param("id"));
      const { limit, after } = pageQuery(c.req.query());
      const page = await replyPage(c.var.db, ticketId, limit, after);
      if (!page) throw ticketNotFound(ticketId);
      return pageAnswer(c, page.replies, page.next);
    })
    .get("/replies", async (c) => {
      const { limit } = validate(latestQuerySchema, c.req.query(), "query");
      return c.json(await latestReplies(c.var.db, limit));
    });
}

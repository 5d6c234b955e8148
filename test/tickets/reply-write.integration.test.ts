import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { createTicketsApp } from "../../workers/tickets/src/app.ts";
import type { Reply, Ticket } from "../../workers/tickets/src/store/rows.ts";
import { appTarget } from "../support/app-target.ts";
import { postJson, type ErrorBody } from "../support/http.ts";
import { recordingQueue } from "./recording-queue.ts";

// Adding a reply is one batch: it decides the 404 (the reply's foreign key) and builds the event
// (the outbox insert reads the ticket's title). These tests hold it to everything the former
// look-up-then-write did.
const UNKNOWN = "0123456789abcdef01234567";

const counts = async () =>
  env.DB.prepare(
    `SELECT (SELECT count(*) FROM replies) AS replies, (SELECT count(*) FROM outbox) AS outbox,
            (SELECT count(*) FROM idempotency_keys) AS keys`,
  ).first<{ replies: number; outbox: number; keys: number }>();

function appWithQueue() {
  const queue = recordingQueue();
  return { ...queue, app: appTarget(createTicketsApp(), { ...env, REPLY_EVENTS: queue.queue }) };
}

afterEach(async () => {
  await env.DB.prepare("DELETE FROM outbox").run();
});

describe("a reply to an unknown ticket", () => {
  it.each([
    ["POST /tickets/:id/replies", `/tickets/${UNKNOWN}/replies`, {}],
    ["POST /tickets/addComment", "/tickets/addComment", { ticketId: UNKNOWN }],
  ])("%s answers the 404 envelope and stores nothing: no reply, no outbox row, no idempotency key", async (_route, path, extra) => {
    const { app, sent } = appWithQueue();
    const before = await counts();
    const { res, body } = await postJson<ErrorBody>(app, path, { user: "Kim", message: "lost?", ...extra }, { "idempotency-key": `unknown ${path}`.replaceAll(" ", "-") });
    expect(res.status).toBe(404);
    expect(body).toEqual({ error: { code: "not_found", message: `ticket ${UNKNOWN} not found` } });
    expect(await counts()).toEqual(before);
    expect(sent).toEqual([]);
  });

  it("leaves its key free: the same key then works for the write it was meant for", async () => {
    const { app } = appWithQueue();
    const { body: ticket } = await postJson<Ticket>(app, "/tickets", { title: "Found later" });
    const headers = { "idempotency-key": "first-unknown-then-known" };
    const input = { user: "Kim", message: "retry", ticketId: UNKNOWN };
    expect((await postJson(app, "/tickets/addComment", input, headers)).res.status).toBe(404);
    const retry = await postJson<Reply>(app, "/tickets/addComment", { ...input, ticketId: ticket.id }, headers);
    // A stored key would make this a 422 (same key, another body): there is none.
    expect(retry.res.status).toBe(201);
    expect(retry.res.headers.get("idempotent-replayed")).toBeNull();
  });
});

describe("the reply's event", () => {
  it("carries the ticket's title as the write read it, exactly, however it is spelt", async () => {
    const { app, sent } = appWithQueue();
    const { body: ticket } = await postJson<Ticket>(app, "/tickets", { title: "Before" });
    const title = 'Ünïcödé "quoted" \\ back/slash <b>&</b> 🎟️ \t tab';
    await env.DB.prepare("UPDATE tickets SET title = ?1 WHERE id = ?2").bind(title, ticket.id).run();
    const { res, body: reply } = await postJson<Reply>(app, `/tickets/${ticket.id}/replies`, { user: "Ana", message: "m \u0000 \"q\"" });
    expect(res.status).toBe(201);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.data).toEqual({ ticketId: ticket.id, title, replyId: reply.id, user: "Ana", message: "m \u0000 \"q\"", createdAt: reply.createdAt });
    const row = await env.DB.prepare("SELECT payload FROM outbox WHERE id = ?1").bind(sent[0]!.id).first<{ payload: string }>();
    expect(JSON.parse(row!.payload)).toEqual(sent[0]);
  });
});

describe("concurrent repeats of one keyed reply", () => {
  it("store one reply and one outbox row; every answer is that reply, and every event sent is its one event", async () => {
    const { app, sent } = appWithQueue();
    const { body: ticket } = await postJson<Ticket>(app, "/tickets", { title: "Concurrent replies" });
    const headers = { "idempotency-key": "concurrent-reply" };
    const results = await Promise.all(
      Array.from({ length: 4 }, () => postJson<Reply>(app, `/tickets/${ticket.id}/replies`, { user: "Ana", message: "once" }, headers)),
    );
    expect(results.map((r) => r.res.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM replies WHERE ticket_id = ?1").bind(ticket.id).first<number>("n");
    expect(stored).toBe(1);
    expect((await env.DB.prepare("SELECT id FROM outbox").all()).results).toHaveLength(1);
    // A repeat that ran while the first request was still sending may send the event too: the
    // same event (its id), which consumers apply once.
    expect(new Set(sent.map((event) => event.id)).size).toBe(1);
  });
});

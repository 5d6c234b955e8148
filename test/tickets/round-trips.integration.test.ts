import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { createTicketsApp } from "../../workers/tickets/src/app.ts";
import type { Ticket } from "../../workers/tickets/src/store/rows.ts";
import { appTarget } from "../support/app-target.ts";
import { getJson, postJson } from "../support/http.ts";
import { recordD1 } from "./d1-recorder.ts";
import { recordingQueue } from "./recording-queue.ts";

const SOCIAL_AUTH = "55e633b9fa7864d21a226052";
const UNKNOWN = "0123456789abcdef01234567";

// D1 round trips per route, counted on the DB binding (see d1-recorder.ts). Each is a wait on
// the database in the response path: these numbers must not grow back unnoticed.
const { db, record, reset } = recordD1(env.DB);
const queue = recordingQueue();
const tickets = appTarget(createTicketsApp({ random: () => 1 }), { ...env, DB: db, REPLY_EVENTS: queue.queue });

beforeEach(() => reset());

describe("D1 round trips in the response path", () => {
  it("POST /tickets/:id/replies: 1 (the batch decides the 404 and builds the event), then 1 after the response to mark it sent", async () => {
    const { res } = await postJson(tickets, `/tickets/${SOCIAL_AUTH}/replies`, { user: "Ana", message: "counted" });
    expect(res.status).toBe(201);
    expect(record.trips).toEqual({ session: 1, binding: 1 });
  });

  it("POST /tickets/:id/replies with an Idempotency-Key: 1, and a replay of it 2 (the losing batch, the stored result)", async () => {
    const headers = { "idempotency-key": "counted-reply" };
    await postJson(tickets, `/tickets/${SOCIAL_AUTH}/replies`, { user: "Ana", message: "keyed" }, headers);
    expect(record.trips).toEqual({ session: 1, binding: 1 });
    reset();
    const replay = await postJson(tickets, `/tickets/${SOCIAL_AUTH}/replies`, { user: "Ana", message: "keyed" }, headers);
    expect(replay.res.headers.get("idempotent-replayed")).toBe("true");
    // The event was sent already: the replay sends nothing and touches nothing after the response.
    expect(record.trips).toEqual({ session: 2, binding: 0 });
  });

  it("a replay whose event is still unsent: 2 in the response path, then the claim and the mark after it", async () => {
    const headers = { "idempotency-key": "counted-unsent-replay" };
    const failingQueue = recordingQueue({ failing: true });
    const failingSend = appTarget(createTicketsApp({ random: () => 1 }), { ...env, DB: db, REPLY_EVENTS: failingQueue.queue });
    await postJson(failingSend, `/tickets/${SOCIAL_AUTH}/replies`, { user: "Ana", message: "unsent" }, headers);
    reset();
    const sentBefore = queue.sent.length;
    const replay = await postJson(tickets, `/tickets/${SOCIAL_AUTH}/replies`, { user: "Ana", message: "unsent" }, headers);
    expect(replay.res.headers.get("idempotent-replayed")).toBe("true");
    expect(queue.sent.length).toBe(sentBefore + 1);
    expect(record.trips).toEqual({ session: 2, binding: 2 });
  });

  it("POST /tickets/addComment: 1", async () => {
    await postJson(tickets, "/tickets/addComment", { ticketId: SOCIAL_AUTH, user: "Ana", message: "counted" });
    expect(record.trips.session).toBe(1);
  });

  it("POST /tickets/:id/replies to an unknown ticket: 1, and a 404", async () => {
    const { res } = await postJson(tickets, `/tickets/${UNKNOWN}/replies`, { user: "Ana", message: "lost" }, { "idempotency-key": "counted-404" });
    expect(res.status).toBe(404);
    expect(record.trips).toEqual({ session: 1, binding: 0 });
  });

  it("POST /tickets: 1", async () => {
    const { res } = await postJson(tickets, "/tickets", { title: "Counted" }, { "idempotency-key": "counted-ticket" });
    expect(res.status).toBe(201);
    expect(record.trips).toEqual({ session: 1, binding: 0 });
  });

  it("GET /tickets: 1", async () => {
    const { res } = await getJson<Ticket[]>(tickets, "/tickets?limit=100");
    expect(res.status).toBe(200);
    expect(record.trips).toEqual({ session: 1, binding: 0 });
  });

  it("GET /tickets/:id: 1, also for an unknown ticket", async () => {
    expect((await getJson(tickets, `/tickets/${SOCIAL_AUTH}`)).res.status).toBe(200);
    expect((await getJson(tickets, `/tickets/${UNKNOWN}`)).res.status).toBe(404);
    expect(record.trips).toEqual({ session: 2, binding: 0 });
  });

  it("GET /tickets/:id/replies: 1, also for an unknown ticket", async () => {
    expect((await getJson(tickets, `/tickets/${SOCIAL_AUTH}/replies?limit=1`)).res.status).toBe(200);
    expect((await getJson(tickets, `/tickets/${UNKNOWN}/replies`)).res.status).toBe(404);
    expect(record.trips).toEqual({ session: 2, binding: 0 });
  });

  it("GET /replies: 1", async () => {
    expect((await getJson(tickets, "/replies")).res.status).toBe(200);
    expect(record.trips).toEqual({ session: 1, binding: 0 });
  });

  it("GET /changes: 1 (the page and the head in one batch)", async () => {
    expect((await getJson(tickets, "/changes?after=2&limit=10")).res.status).toBe(200);
    expect(record.trips).toEqual({ session: 1, binding: 0 });
  });
});

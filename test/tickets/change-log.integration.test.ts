import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Change, ChangePage } from "../../workers/tickets/src/change-log/store.ts";
import type { Reply, Ticket } from "../../workers/tickets/src/store/rows.ts";
import { getJson, postJson, type ErrorBody, workerUnderTest } from "../support/http.ts";

// The change log (migrations/0007) as GET /changes serves it. Tests in this file share one
// database and run in order: each reads the changes after the head it saw before its writes.
const tickets = workerUnderTest();
const SOCIAL_AUTH = "55e633b9fa7864d21a226052";
const AD_ON_IOS = "55e633dcfa7864d21a226053";
const DEVELOPER_ACCOUNT = "55e633f0fa7864d21a226054";
const UNKNOWN = "0123456789abcdef01234567";

/** One page of the log through the API. */
async function changes(query = ""): Promise<ChangePage> {
  const { res, body } = await getJson<ChangePage>(tickets, `/changes${query}`);
  expect(res.status).toBe(200);
  return body;
}

/** The log's head now. */
const head = async () => (await changes("?limit=1")).head;

/** Every change after `after` (at most 500: enough for one test's writes). */
const changesAfter = async (after: number) => (await changes(`?after=${after}&limit=500`)).changes;

/** A ticket's public fields as the log carries them. */
const ticketData = ({ title, description, status, assignedTo, userInitials, createdAt }: Ticket) => ({
  title,
  description,
  status,
  assignedTo,
  userInitials,
  createdAt,
});

/** A reply's public fields as the log carries them. */
const replyData = ({ user, message, createdAt }: Reply) => ({ user, message, createdAt });

async function newTicket(title: string): Promise<Ticket> {
  const { res, body } = await postJson<Ticket>(tickets, "/tickets", { title });
  expect(res.status).toBe(201);
  return body;
}

describe("the seed, written after the migrations", () => {
  it("is in the log from seq 1, in the order it was inserted", async () => {
    const { changes: seeded } = await changes("?limit=5");
    expect(seeded.map(({ seq, entity, id, ticketId }) => ({ seq, entity, id, ticketId }))).toEqual([
      { seq: 1, entity: "ticket", id: SOCIAL_AUTH, ticketId: SOCIAL_AUTH },
      { seq: 2, entity: "reply", id: "014f8b70f9289480e658322c", ticketId: SOCIAL_AUTH },
      { seq: 3, entity: "ticket", id: AD_ON_IOS, ticketId: AD_ON_IOS },
      { seq: 4, entity: "ticket", id: DEVELOPER_ACCOUNT, ticketId: DEVELOPER_ACCOUNT },
      { seq: 5, entity: "reply", id: "014f8b71d000a592448e7396", ticketId: DEVELOPER_ACCOUNT },
    ]);
    expect(seeded.every((change) => change.op === "upsert")).toBe(true);
    const social = (await getJson<Ticket>(tickets, `/tickets/${SOCIAL_AUTH}`)).body;
    expect(seeded[0]!.data).toEqual(ticketData(social));
    expect(seeded[1]!.data).toEqual(replyData(social.replies[0]!));
  });

  it("is not logged twice by running the seed again (INSERT OR IGNORE inserts nothing)", async () => {
    const before = await head();
    await env.DB.batch(env.TEST_SEED.map((sql) => env.DB.prepare(sql)));
    expect(await head()).toBe(before);
  });
});

describe("every write appends its change, in the same transaction", () => {
  it("POST /tickets appends one ticket upsert with the ticket's public fields", async () => {
    const before = await head();
    const ticket = await newTicket("Logged");
    const logged = await changesAfter(before);
    expect(logged).toEqual([
      { seq: before + 1, entity: "ticket", op: "upsert", id: ticket.id, ticketId: ticket.id, data: ticketData(ticket), at: expect.any(Number) },
    ]);
    // D1's clock and the Worker's: the same machine's, within a test's duration.
    expect(Math.abs(logged[0]!.at - Date.parse(ticket.createdAt))).toBeLessThan(60_000);
  });

  it.each([
    ["POST /tickets/:id/replies", (ticketId: string) => postJson<Reply>(tickets, `/tickets/${ticketId}/replies`, { user: "Ana", message: "logged" })],
    ["POST /tickets/addComment", (ticketId: string) => postJson<Reply>(tickets, "/tickets/addComment", { ticketId, user: "Ana", message: "logged" })],
  ])("%s appends one reply upsert, and nothing for the ticket's reply count", async (_route, post) => {
    const ticket = await newTicket("Replied to");
    const before = await head();
    const { res, body: reply } = await post(ticket.id);
    expect(res.status).toBe(201);
    expect((await getJson<Ticket>(tickets, `/tickets/${ticket.id}`)).body.replyCount).toBe(1);
    expect(await changesAfter(before)).toEqual([
      { seq: before + 1, entity: "reply", op: "upsert", id: reply.id, ticketId: ticket.id, data: replyData(reply), at: expect.any(Number) },
    ]);
  });

  it("a reply to an unknown ticket (its batch rolls back on the foreign key) appends nothing", async () => {
    const before = await head();
    const { res } = await postJson<ErrorBody>(tickets, `/tickets/${UNKNOWN}/replies`, { user: "Ana", message: "lost" });
    expect(res.status).toBe(404);
    expect(await head()).toBe(before);
  });

  it("an idempotent replay (its batch loses on the key) appends nothing", async () => {
    const ticket = await newTicket("Replayed");
    const headers = { "idempotency-key": "change-log-replay" };
    const before = await head();
    const first = await postJson<Reply>(tickets, `/tickets/${ticket.id}/replies`, { user: "Ana", message: "once" }, headers);
    const replay = await postJson<Reply>(tickets, `/tickets/${ticket.id}/replies`, { user: "Ana", message: "once" }, headers);
    expect(replay.res.headers.get("idempotent-replayed")).toBe("true");
    expect((await changesAfter(before)).map((change) => change.id)).toEqual([first.body.id]);
  });

  it("a batch that fails after its insert rolls back the insert's change and its seq", async () => {
    const before = await head();
    const insert = env.DB.prepare("INSERT INTO tickets (id, title, created_at) VALUES (?1, 'Rolled back', ?2)").bind(UNKNOWN, new Date().toISOString());
    const duplicate = env.DB.prepare("INSERT INTO tickets (id, title, created_at) VALUES (?1, 'Duplicate', ?2)").bind(SOCIAL_AUTH, new Date().toISOString());
    await expect(env.DB.batch([insert, duplicate])).rejects.toThrow(/UNIQUE constraint failed/);
    expect(await head()).toBe(before);
    const ticket = await newTicket("Next");
    expect(await changesAfter(before)).toMatchObject([{ seq: before + 1, id: ticket.id }]);
  });

  it("a rejected write appends nothing", async () => {
    const before = await head();
    expect((await postJson(tickets, "/tickets", { title: "" })).res.status).toBe(400);
    expect((await postJson(tickets, `/tickets/${SOCIAL_AUTH}/replies`, { user: "Ana" })).res.status).toBe(400);
    expect(await head()).toBe(before);
  });
});

// The API neither updates nor deletes tickets or replies; the triggers log any writer's (SQL here).
describe("updates and deletes, by any writer", () => {
  it("a ticket update logs the whole ticket again, only when a public field changes", async () => {
    const ticket = await newTicket("Before");
    const before = await head();
    await env.DB.prepare("UPDATE tickets SET title = 'After', status = 'Closed' WHERE id = ?1").bind(ticket.id).run();
    await env.DB.prepare("UPDATE tickets SET title = 'After' WHERE id = ?1").bind(ticket.id).run(); // no change
    await env.DB.prepare("UPDATE tickets SET reply_count = reply_count + 0 WHERE id = ?1").bind(ticket.id).run();
    expect(await changesAfter(before)).toEqual([
      {
        seq: before + 1,
        entity: "ticket",
        op: "upsert",
        id: ticket.id,
        ticketId: ticket.id,
        data: { ...ticketData(ticket), title: "After", status: "Closed" },
        at: expect.any(Number),
      },
    ]);
  });

  it("a reply update logs the whole reply again", async () => {
    const ticket = await newTicket("Edited reply");
    const reply = (await postJson<Reply>(tickets, `/tickets/${ticket.id}/replies`, { user: "Ana", message: "typo" })).body;
    const before = await head();
    await env.DB.prepare("UPDATE replies SET message = 'fixed' WHERE id = ?1").bind(reply.id).run();
    const [change] = await changesAfter(before);
    expect(change).toMatchObject({ entity: "reply", op: "upsert", id: reply.id, ticketId: ticket.id, data: { ...replyData(reply), message: "fixed" } });
  });

  it("a ticket's delete logs its replies' deletes (the cascade), then its own, without data", async () => {
    const ticket = await newTicket("Deleted");
    const reply = (await postJson<Reply>(tickets, `/tickets/${ticket.id}/replies`, { user: "Ana", message: "gone too" })).body;
    const before = await head();
    await env.DB.prepare("DELETE FROM tickets WHERE id = ?1").bind(ticket.id).run();
    const logged = await changesAfter(before);
    expect(logged.map(({ entity, op, id, ticketId, data }) => ({ entity, op, id, ticketId, data }))).toEqual([
      { entity: "reply", op: "delete", id: reply.id, ticketId: ticket.id, data: null },
      { entity: "ticket", op: "delete", id: ticket.id, ticketId: ticket.id, data: null },
    ]);
  });
});

describe("GET /changes", () => {
  it("pages by after and limit, seq strictly increasing, with the head on every page", async () => {
    const all = await changesAfter(0);
    const last = all.at(-1)!.seq;
    expect(all.length).toBeGreaterThan(10);
    expect(all.every((change, n) => n === 0 || change.seq > all[n - 1]!.seq)).toBe(true);
    const paged: Change[] = [];
    for (let after = 0; ; ) {
      const page = await changes(`?after=${after}&limit=3`);
      expect(page.head).toBe(last);
      expect(page.changes.length).toBeLessThanOrEqual(3);
      if (page.changes.length === 0) break;
      paged.push(...page.changes);
      after = page.changes.at(-1)!.seq;
    }
    expect(paged).toEqual(all);
  });

  it("answers 100 changes by default, and none after the head", async () => {
    await Promise.all(Array.from({ length: 100 }, (_, n) => newTicket(`Bulk ${n}`)));
    const page = await changes();
    expect(page.changes.length).toBe(100);
    expect(page.changes[0]!.seq).toBe(1);
    expect(await changes(`?after=${page.head}`)).toEqual({ changes: [], head: page.head });
    expect(await changes(`?after=${page.head + 1000}`)).toEqual({ changes: [], head: page.head });
  });

  it.each([
    ["after=-1", "after: must be a whole number from 0"],
    ["after=abc", "after: must be a whole number from 0"],
    ["after=1.5", "after: must be a whole number from 0"],
    ["after=99999999999999999999", "after: must be a whole number from 0"],
    ["limit=0", "limit: must be a whole number from 1 to 500"],
    ["limit=501", "limit: must be a whole number from 1 to 500"],
    ["limit=ten", "limit: must be a whole number from 1 to 500"],
  ])("answers ?%s with a 400 in the error envelope", async (query, message) => {
    const { res, body } = await getJson<ErrorBody>(tickets, `/changes?${query}`);
    expect(res.status).toBe(400);
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.message).toBe(message);
  });

  it("is served by both versions, and by 1.0.1 even at FAILURE_RATE 1 (no injected failures)", async () => {
    const expected = await changes("?limit=10");
    for (const version of [env.TICKETS_V1_0_1, env.TICKETS_V1_0_1_FAILING]) {
      const { res, body } = await getJson<ChangePage>(version, "/changes?limit=10");
      expect(res.status).toBe(200);
      expect(body).toEqual(expected);
    }
  });
});

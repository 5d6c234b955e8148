import { beforeAll, describe, expect, it } from "vitest";
import { NEXT_CURSOR_HEADER } from "../../workers/tickets/src/routes/page.ts";
import { EMBEDDED_REPLIES, type Reply, type Ticket } from "../../workers/tickets/src/store/rows.ts";
import { getJson, postJson, type ErrorBody, workerUnderTest } from "../support/http.ts";
import { ticketWithReplies } from "./bulk-replies.ts";

const tickets = workerUnderTest();
const SOCIAL_AUTH = "55e633b9fa7864d21a226052";
const UNKNOWN = "0123456789abcdef01234567";

/** Follows `GET /tickets/:id/replies` cursors from the first page to the last. */
async function allReplyPages(ticketId: string, query: string): Promise<Reply[][]> {
  const pages: Reply[][] = [];
  let path = `/tickets/${ticketId}/replies${query}`;
  for (;;) {
    const { res, body } = await getJson<Reply[]>(tickets, path);
    expect(res.status).toBe(200);
    pages.push(body);
    const cursor = res.headers.get(NEXT_CURSOR_HEADER);
    if (!cursor) return pages;
    path = `/tickets/${ticketId}/replies${query ? `${query}&` : "?"}cursor=${encodeURIComponent(cursor)}`;
  }
}

describe("a ticket with more replies than an answer embeds", () => {
  const REPLIES = 150;
  let busy: { ticket: Ticket; replies: Reply[] };
  beforeAll(async () => {
    busy = await ticketWithReplies(tickets, REPLIES);
  });

  it("GET /tickets/:id embeds its latest 20 replies, oldest first, and counts them all", async () => {
    const { body } = await getJson<Ticket>(tickets, `/tickets/${busy.ticket.id}`);
    expect(EMBEDDED_REPLIES).toBe(20);
    expect(body.replyCount).toBe(REPLIES);
    expect(body.replies).toEqual(busy.replies.slice(-EMBEDDED_REPLIES));
  });

  it("GET /tickets embeds the same, for every ticket of the page", async () => {
    const { body } = await getJson<Ticket[]>(tickets, "/tickets?limit=100");
    const listed = body.find((t) => t.id === busy.ticket.id)!;
    expect(listed.replyCount).toBe(REPLIES);
    expect(listed.replies).toEqual(busy.replies.slice(-EMBEDDED_REPLIES));
    const social = body.find((t) => t.id === SOCIAL_AUTH)!;
    expect(social.replies).toHaveLength(social.replyCount);
  });

  it("GET /tickets/:id/replies pages through every reply, oldest first, 100 at most per page", async () => {
    const pages = await allReplyPages(busy.ticket.id, "?limit=100");
    expect(pages.map((page) => page.length)).toEqual([100, 50]);
    expect(pages.flat()).toEqual(busy.replies);
  });

  it("pages 50 at a time by default", async () => {
    const pages = await allReplyPages(busy.ticket.id, "");
    expect(pages.map((page) => page.length)).toEqual([50, 50, 50]);
    expect(pages.flat()).toEqual(busy.replies);
  });

  it("a reply added while paging shows up on the last page, after the cursor", async () => {
    const { res, body: first } = await getJson<Reply[]>(tickets, `/tickets/${busy.ticket.id}/replies?limit=100`);
    const { body: added } = await postJson<Reply>(tickets, `/tickets/${busy.ticket.id}/replies`, { user: "Late", message: "while paging" });
    const cursor = encodeURIComponent(res.headers.get(NEXT_CURSOR_HEADER)!);
    const { body: rest } = await getJson<Reply[]>(tickets, `/tickets/${busy.ticket.id}/replies?limit=100&cursor=${cursor}`);
    expect([...first, ...rest]).toEqual([...busy.replies, added]);
    expect((await getJson<Ticket>(tickets, `/tickets/${busy.ticket.id}`)).body.replyCount).toBe(REPLIES + 1);
  });
});

describe("replyCount", () => {
  it("is each seed ticket's number of replies", async () => {
    const { body } = await getJson<Ticket[]>(tickets, "/tickets");
    const counts = Object.fromEntries(body.filter((t) => t.id.startsWith("55e633")).map((t) => [t.id, t.replyCount]));
    expect(counts).toEqual({ "55e633b9fa7864d21a226052": 1, "55e633dcfa7864d21a226053": 0, "55e633f0fa7864d21a226054": 1 });
  });

  it("starts at 0 and counts every reply added, through either reply route", async () => {
    const { body: created } = await postJson<Ticket>(tickets, "/tickets", { title: "Counting" });
    expect(created).toMatchObject({ replyCount: 0, replies: [] });
    await postJson(tickets, `/tickets/${created.id}/replies`, { user: "A", message: "one" });
    await postJson(tickets, "/tickets/addComment", { ticketId: created.id, user: "B", message: "two" });
    const { body } = await getJson<Ticket>(tickets, `/tickets/${created.id}`);
    expect(body.replyCount).toBe(2);
    expect(body.replies.map((r) => r.message)).toEqual(["one", "two"]);
  });
});

describe("GET /tickets/:id/replies", () => {
  it("answers a ticket without replies with an empty page and no cursor", async () => {
    const res = await tickets.fetch(`http://t/tickets/55e633dcfa7864d21a226053/replies`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
    expect(res.headers.get(NEXT_CURSOR_HEADER)).toBeNull();
  });

  it("answers 404 for an unknown ticket, with or without a cursor", async () => {
    const { res: page } = await getJson<Reply[]>(tickets, `/tickets/${SOCIAL_AUTH}/replies?limit=1`);
    expect(page.headers.get(NEXT_CURSOR_HEADER)).toBeNull();
    for (const query of ["", "?limit=5"]) {
      const { res, body } = await getJson<ErrorBody>(tickets, `/tickets/${UNKNOWN}/replies${query}`);
      expect(res.status).toBe(404);
      expect(body.error).toEqual({ code: "not_found", message: `ticket ${UNKNOWN} not found` });
    }
  });

  it("answers 400 for a malformed id", async () => {
    const { res, body } = await getJson<ErrorBody>(tickets, "/tickets/not-an-id/replies");
    expect(res.status).toBe(400);
    expect(body.error.message).toBe("id: must be 24 hexadecimal digits");
  });

  it.each(["0", "101", "-3", "ten", "1e2", ""])("answers 400 for limit=%s", async (limit) => {
    const { res, body } = await getJson<ErrorBody>(tickets, `/tickets/${SOCIAL_AUTH}/replies?limit=${limit}`);
    expect(res.status).toBe(400);
    expect(body.error.details).toEqual([{ path: "limit", message: "must be a whole number from 1 to 100" }]);
  });

  it.each(["garbage", "eyJhIjoxfQ", ""])("answers 400 for cursor=%s", async (cursor) => {
    const { res, body } = await getJson<ErrorBody>(tickets, `/tickets/${SOCIAL_AUTH}/replies?cursor=${cursor}`);
    expect(res.status).toBe(400);
    expect(body.error.message).toMatch(/^cursor: /);
  });
});

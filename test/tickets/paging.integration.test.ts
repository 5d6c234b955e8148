import { beforeAll, describe, expect, it } from "vitest";
import { NEXT_CURSOR_HEADER } from "../../workers/tickets/src/routes/page.ts";
import type { Ticket } from "../../workers/tickets/src/store/rows.ts";
import { getJson, postJson, type ErrorBody, workerUnderTest } from "../support/http.ts";

const tickets = workerUnderTest();

/** Follows cursors from the first page to the last, collecting every page's ticket ids. */
async function allPages(limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let path = `/tickets?limit=${limit}`;
  for (;;) {
    const { res, body } = await getJson<Ticket[]>(tickets, path);
    expect(res.status).toBe(200);
    pages.push(body.map((t) => t.id));
    const cursor = res.headers.get(NEXT_CURSOR_HEADER);
    if (!cursor) return pages;
    path = `/tickets?limit=${limit}&cursor=${encodeURIComponent(cursor)}`;
  }
}

describe("GET /tickets paging", () => {
  const created: string[] = [];
  beforeAll(async () => {
    for (let n = 0; n < 7; n++) {
      created.push((await postJson<Ticket>(tickets, "/tickets", { title: `Paged ${n}` })).body.id);
    }
  });

  it("answers newest first", async () => {
    const { body } = await getJson<Ticket[]>(tickets, "/tickets");
    expect(body).toHaveLength(10);
    expect(body.slice(0, 7).map((t) => t.id)).toEqual([...created].reverse());
  });

  it("walks every ticket exactly once across pages, with no cursor on the last page", async () => {
    const pages = await allPages(3);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 1]);
    const ids = pages.flat();
    expect(new Set(ids).size).toBe(10);
    expect(ids.slice(0, 7)).toEqual([...created].reverse());
  });

  it("sends no cursor when everything fits on one page", async () => {
    const { res, body } = await getJson<Ticket[]>(tickets, "/tickets?limit=10");
    expect(body).toHaveLength(10);
    expect(res.headers.get(NEXT_CURSOR_HEADER)).toBeNull();
  });

  it.each(["0", "101", "-3", "ten", "1e2", ""])("answers 400 for limit=%s", async (limit) => {
    const { res, body } = await getJson<ErrorBody>(tickets, `/tickets?limit=${limit}`);
    expect(res.status).toBe(400);
    expect(body.error.details).toEqual([{ path: "limit", message: "must be a whole number from 1 to 100" }]);
  });

  it.each(["garbage", "eyJhIjoxfQ", ""])("answers 400 for cursor=%s", async (cursor) => {
    const { res, body } = await getJson<ErrorBody>(tickets, `/tickets?cursor=${cursor}`);
    expect(res.status).toBe(400);
    expect(body.error.message).toMatch(/^cursor: /);
  });
});

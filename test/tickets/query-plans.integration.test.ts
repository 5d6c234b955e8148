import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createTicketsApp } from "../../workers/tickets/src/app.ts";
import type { Ticket } from "../../workers/tickets/src/store/rows.ts";
import { appTarget } from "../support/app-target.ts";
import { getJson } from "../support/http.ts";
import { ticketWithReplies } from "./bulk-replies.ts";
import { recordD1 } from "./d1-recorder.ts";
import { planOf } from "./query-plan.ts";

// A ticket's answers must cost the same whatever its number of replies: every read of replies
// is an index search that stops after a fixed number of entries, never a scan or a sort.
const d1 = recordD1(env.DB);
const tickets = appTarget(createTicketsApp({ random: () => 1 }), { ...env, DB: d1.db });

/** The plans of the statements `path` runs, and the rows D1 read to answer it. */
async function plansOf(path: string): Promise<{ plans: string[][]; rowsRead: number }> {
  d1.reset();
  expect((await getJson(tickets, path)).res.status).toBe(200);
  const plans = await Promise.all(d1.record.statements.map(planOf));
  return { plans, rowsRead: d1.record.rowsRead };
}

/** Plan lines that would make the work grow with the number of replies. */
const unbounded = (plans: string[][]) =>
  plans.flat().filter((line) => /^SCAN (r|replies)\b/.test(line) || /TEMP B-TREE/.test(line));

describe("reading a ticket's replies", () => {
  let few: Ticket;
  let many: Ticket;
  beforeAll(async () => {
    few = (await ticketWithReplies(tickets, 30)).ticket;
    many = (await ticketWithReplies(tickets, 300)).ticket;
  });

  it.each([
    ["GET /tickets/:id", (id: string) => `/tickets/${id}`],
    ["GET /tickets/:id/replies", (id: string) => `/tickets/${id}/replies?limit=10`],
  ])("%s searches replies_by_ticket and reads as many rows for 300 replies as for 30", async (_route, path) => {
    const forFew = await plansOf(path(few.id));
    const forMany = await plansOf(path(many.id));
    expect(unbounded(forMany.plans)).toEqual([]);
    expect(forMany.plans.flat().some((line) => line.includes("replies_by_ticket"))).toBe(true);
    expect(forMany.rowsRead).toBe(forFew.rowsRead);
    expect(forMany.rowsRead).toBeLessThan(100);
  });

  it("GET /tickets/:id/replies with a cursor starts its index search at the cursor", async () => {
    const first = await getJson(tickets, `/tickets/${many.id}/replies?limit=10`);
    const cursor = encodeURIComponent(first.res.headers.get("x-next-cursor")!);
    const { plans, rowsRead } = await plansOf(`/tickets/${many.id}/replies?limit=10&cursor=${cursor}`);
    expect(unbounded(plans)).toEqual([]);
    expect(plans.flat()).toContain("SEARCH r USING INDEX replies_by_ticket (ticket_id=? AND (created_at,id)>(?,?))");
    expect(rowsRead).toBeLessThan(100);
  });

  it("GET /tickets reads each listed ticket's latest replies through the index, never all of them", async () => {
    const { plans } = await plansOf("/tickets?limit=100");
    expect(unbounded(plans)).toEqual([]);
    expect(plans.flat()).toContain("SEARCH replies USING COVERING INDEX replies_by_ticket (ticket_id=?)");
  });
});

// The pump reads the change log page by page: each page must cost the same however long the log.
describe("reading the change log", () => {
  it("GET /changes searches change_log by its primary key from `after`, and reads only its page", async () => {
    // The describe above wrote 330 replies first: a log long enough for a scan to show in rowsRead.
    const { plans, rowsRead } = await plansOf("/changes?after=100&limit=10");
    expect(plans).toEqual([["SEARCH change_log USING INTEGER PRIMARY KEY (rowid>?)"], ["SEARCH change_log"]]);
    expect(plans.flat().filter((line) => /^SCAN|TEMP B-TREE/.test(line))).toEqual([]);
    expect(rowsRead).toBeLessThan(20);
  });
});

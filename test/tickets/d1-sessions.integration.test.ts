import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { D1_BOOKMARK_HEADER } from "#shared/headers.ts";
import { createTicketsApp } from "../../workers/tickets/src/app.ts";
import type { Ticket } from "../../workers/tickets/src/store/rows.ts";
import { appTarget } from "../support/app-target.ts";
import { getJson, postJson, workerUnderTest, type ErrorBody } from "../support/http.ts";

const v100 = workerUnderTest();
const v101 = env.TICKETS_V1_0_1;

/** The tickets database, recording the constraint or bookmark each request's session starts from. */
function recordingSessions(db: D1Database) {
  const startedFrom: string[] = [];
  const recording = Object.create(db) as D1Database;
  recording.withSession = (constraintOrBookmark?: string) => {
    startedFrom.push(constraintOrBookmark ?? "(none)");
    return db.withSession(constraintOrBookmark);
  };
  return { db: recording, startedFrom };
}

describe("D1 sessions: read your own writes across tickets versions", () => {
  it("a write answers with a bookmark, and a read on the other version that sends it back sees the write", async () => {
    const created = await postJson<Ticket>(v100, "/tickets", { title: "Written by 1.0.0" });
    expect(created.res.status).toBe(201);
    const bookmark = created.res.headers.get(D1_BOOKMARK_HEADER);
    expect(bookmark).toMatch(/\S/);

    const read = await getJson<Ticket>(v101, `/tickets/${created.body.id}`, { [D1_BOOKMARK_HEADER]: bookmark! });
    expect(read.res.status).toBe(200);
    expect(read.body).toEqual(created.body);
    expect(read.res.headers.get(D1_BOOKMARK_HEADER)).toMatch(/\S/);
  });

  it("a request starts its session at the bookmark it brings; otherwise reads start anywhere and writes at the primary", async () => {
    const { db, startedFrom } = recordingSessions(env.DB);
    const tickets = appTarget(createTicketsApp(), { ...env, DB: db });
    const created = await postJson<Ticket>(tickets, "/tickets", { title: "Session plumbing" });
    const bookmark = created.res.headers.get(D1_BOOKMARK_HEADER)!;
    await getJson(tickets, "/tickets");
    await getJson(tickets, `/tickets/${created.body.id}`, { [D1_BOOKMARK_HEADER]: bookmark });
    await postJson(tickets, `/tickets/${created.body.id}/replies`, { user: "Kim", message: "after my write" }, { [D1_BOOKMARK_HEADER]: bookmark });
    expect(startedFrom).toEqual(["first-primary", "first-unconstrained", bookmark, bookmark]);
  });

  it("a malformed bookmark is refused with a 400 before D1 sees it", async () => {
    for (const bad of ["", "x".repeat(257), "bookmark with spaces", "<script>"]) {
      const { res, body } = await getJson<ErrorBody>(v100, "/tickets", { [D1_BOOKMARK_HEADER]: bad });
      expect(res.status).toBe(400);
      expect(body.error).toEqual({ code: "invalid_request", message: `${D1_BOOKMARK_HEADER}: must be a bookmark this service answered with` });
    }
  });
});

import { describe, expect, it } from "vitest";
import { MAX_LISTED_PROBLEMS, MAX_PATH_CHARS } from "#shared/http/validate.ts";
import { LIMITS } from "../../workers/tickets/src/schemas.ts";
import type { Reply, Ticket } from "../../workers/tickets/src/store/rows.ts";
import { getJson, postJson, type ErrorBody, workerUnderTest } from "../support/http.ts";

const tickets = workerUnderTest();
const AD_ON_IOS = "55e633dcfa7864d21a226053";
const UNKNOWN = "0123456789abcdef01234567";

describe("GET /tickets/:id", () => {
  it("answers one ticket with its replies", async () => {
    const { res, body } = await getJson<Ticket>(tickets, `/tickets/${AD_ON_IOS}`);
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ id: AD_ON_IOS, title: "AD on iOS", replies: [] });
  });

  it("answers 404 for an unknown id and 400 for a malformed one", async () => {
    const unknown = await getJson<ErrorBody>(tickets, `/tickets/${UNKNOWN}`);
    expect(unknown.res.status).toBe(404);
    expect(unknown.body.error).toEqual({ code: "not_found", message: `ticket ${UNKNOWN} not found` });
    const malformed = await getJson<ErrorBody>(tickets, "/tickets/not-an-id");
    expect(malformed.res.status).toBe(400);
    expect(malformed.body.error.message).toBe("id: must be 24 hexadecimal digits");
  });
});

describe("POST /tickets", () => {
  it("creates a ticket with defaults for the optional fields", async () => {
    const { res, body } = await postJson<Ticket>(tickets, "/tickets", { title: "Login loops" });
    expect(res.status).toBe(201);
    expect(body).toMatchObject({ title: "Login loops", description: "", status: "Open", assignedTo: "", userInitials: "", replies: [] });
    expect(body.id).toMatch(/^[0-9a-f]{24}$/);
    expect(Date.parse(body.createdAt)).not.toBeNaN();
    expect((await getJson(tickets, `/tickets/${body.id}`)).body).toEqual(body);
  });

  it("stores every optional field given", async () => {
    const input = { title: "T", description: "D", assignedTo: "gonto", userInitials: "AB", status: "Pending" };
    const { body } = await postJson<Ticket>(tickets, "/tickets", input);
    expect(body).toMatchObject(input);
  });

  it.each([
    [{}, "title: required"],
    [{ title: "" }, "title: must not be empty"],
    [{ title: "   " }, "title: must not be empty"],
    [{ title: 42 }, "title: must be a string"],
    [{ title: "x".repeat(LIMITS.title + 1) }, `title: must be at most ${LIMITS.title} characters`],
    [{ title: "ok", status: "Done" }, "status: must be one of Open, Pending, Closed"],
    [{ title: "ok", priority: "high" }, "priority: unknown field"],
    [{ title: "a\ud800b" }, "title: must be valid Unicode text (no lone surrogates)"],
    [[], "(body): Invalid input: expected object, received array"],
  ])("rejects %j with a 400 naming the field", async (input, message) => {
    const { res, body } = await postJson<ErrorBody>(tickets, "/tickets", input);
    expect(res.status).toBe(400);
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.message).toBe(message);
    expect(body.error.details?.length).toBeGreaterThan(0);
  });

  it("names at most 20 problems, counts the rest, and cuts a long field name: the answer stays small whatever the body", async () => {
    const unknown = Object.fromEntries(Array.from({ length: 2_000 }, (_, n) => [`f${n}`, 0]));
    const { res, body } = await postJson<ErrorBody>(tickets, "/tickets", { title: "ok", ...unknown });
    expect(res.status).toBe(400);
    expect(body.error.details).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(body.error.details?.[0]).toEqual({ path: "f0", message: "unknown field" });
    expect(body.error.message).toMatch(/; and 1980 more problems$/);
    expect(JSON.stringify(body).length).toBeLessThan(4_000);

    const long = "k".repeat(10_000);
    const { body: longBody } = await postJson<ErrorBody>(tickets, "/tickets", { title: "ok", [long]: 1 });
    expect(longBody.error.details).toEqual([{ path: `${"k".repeat(MAX_PATH_CHARS)}…`, message: "unknown field" }]);
  });

  it("lists every problem at once", async () => {
    const { body } = await postJson<ErrorBody>(tickets, "/tickets", { title: "", description: 1 });
    expect(body.error.details?.map((d) => d.path)).toEqual(["title", "description"]);
  });
});

describe("replies", () => {
  it("POST /tickets/:id/replies answers 201 with the reply", async () => {
    const { res, body } = await postJson<Reply>(tickets, `/tickets/${AD_ON_IOS}/replies`, { user: "Kim", message: "Any news?" });
    expect(res.status).toBe(201);
    expect(Object.keys(body).sort()).toEqual(["createdAt", "id", "message", "ticketId", "user"]);
    expect(body).toMatchObject({ ticketId: AD_ON_IOS, user: "Kim", message: "Any news?" });
  });

  it("POST /tickets/addComment behaves the same, and answers 404 for an unknown ticket", async () => {
    const ok = await postJson<Reply>(tickets, "/tickets/addComment", { ticketId: AD_ON_IOS, user: "Kim", message: "Hello" });
    expect(ok.res.status).toBe(201);
    expect(ok.body).toMatchObject({ ticketId: AD_ON_IOS, user: "Kim", message: "Hello" });
    const unknown = await postJson<ErrorBody>(tickets, "/tickets/addComment", { ticketId: UNKNOWN, user: "Kim", message: "Hello" });
    expect(unknown.res.status).toBe(404);
    expect(unknown.body.error.code).toBe("not_found");
  });

  it("answers 404 for a reply to an unknown ticket and writes nothing", async () => {
    const { res } = await postJson(tickets, `/tickets/${UNKNOWN}/replies`, { user: "Kim", message: "lost?" });
    expect(res.status).toBe(404);
    const { body } = await getJson<Reply[]>(tickets, "/replies?limit=100");
    expect(body.some((r) => r.message === "lost?")).toBe(false);
  });

  it.each([
    [{ message: "hi" }, "user: required"],
    [{ user: "Kim" }, "message: required"],
    [{ user: "", message: "" }, "user: must not be empty; message: must not be empty"],
    [{ user: ["Kim"], message: "hi" }, "user: must be a string"],
    [{ user: "x".repeat(LIMITS.user + 1), message: "hi" }, `user: must be at most ${LIMITS.user} characters`],
    [{ user: "Kim", message: "x".repeat(LIMITS.message + 1) }, `message: must be at most ${LIMITS.message} characters`],
  ])("rejects reply %j", async (input, message) => {
    const { res, body } = await postJson<ErrorBody>(tickets, `/tickets/${AD_ON_IOS}/replies`, input);
    expect(res.status).toBe(400);
    expect(body.error.message).toBe(message);
  });

  it("keeps replies in the order they were added, oldest first", async () => {
    const { body: ticket } = await postJson<Ticket>(tickets, "/tickets", { title: "Ordering" });
    for (const n of [1, 2, 3, 4, 5]) {
      await postJson(tickets, `/tickets/${ticket.id}/replies`, { user: "U", message: `#${n}` });
    }
    const { body } = await getJson<Ticket>(tickets, `/tickets/${ticket.id}`);
    expect(body.replies.map((r) => r.message)).toEqual(["#1", "#2", "#3", "#4", "#5"]);
  });

  it("round-trips unicode and HTML exactly as given", async () => {
    const message = "<b>Ünïcödé</b> 日本語 🎟️ — \"quotes\" & 'apostrophes' \u0000 end";
    const { body: reply } = await postJson<Reply>(tickets, `/tickets/${AD_ON_IOS}/replies`, { user: "Zoë 👩‍💻", message });
    expect(reply.message).toBe(message);
    const { body } = await getJson<Ticket>(tickets, `/tickets/${AD_ON_IOS}`);
    expect(body.replies.find((r) => r.id === reply.id)).toMatchObject({ user: "Zoë 👩‍💻", message });
  });

  it("GET /replies answers the latest replies across tickets, newest first, with titles", async () => {
    await postJson(tickets, `/tickets/${AD_ON_IOS}/replies`, { user: "A", message: "latest-1" });
    await postJson(tickets, "/tickets/55e633f0fa7864d21a226054/replies", { user: "B", message: "latest-2" });
    const { body } = await getJson<(Reply & { title: string })[]>(tickets, "/replies?limit=2");
    expect(body.map((r) => [r.message, r.title])).toEqual([
      ["latest-2", "Developer account?"],
      ["latest-1", "AD on iOS"],
    ]);
  });
});

describe("bad requests", () => {
  it("answers 415 for a body that is not JSON", async () => {
    const res = await tickets.fetch("http://t/tickets", { method: "POST", headers: { "content-type": "text/plain" }, body: "title=x" });
    expect(res.status).toBe(415);
    expect(((await res.json()) as ErrorBody).error.code).toBe("unsupported_media_type");
  });

  it("answers 400 for malformed JSON", async () => {
    const { res, body } = await postJson<ErrorBody>(tickets, "/tickets", '{"title": ');
    expect(res.status).toBe(400);
    expect(body.error).toEqual({ code: "invalid_request", message: "body is not valid JSON" });
  });

  it("answers 413 for an oversized body", async () => {
    const { res, body } = await postJson<ErrorBody>(tickets, "/tickets", { title: "x".repeat(LIMITS.bodyBytes) });
    expect(res.status).toBe(413);
    expect(body.error.code).toBe("payload_too_large");
  });

  it("answers 413 for an oversized body streamed without a Content-Length", async () => {
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    const body = new ReadableStream({
      start(controller) {
        for (let n = 0; n * chunk.length <= LIMITS.bodyBytes; n++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await tickets.fetch("http://t/tickets", { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorBody).error.code).toBe("payload_too_large");
  });

  it("checks the Idempotency-Key before the body and the ticket id", async () => {
    const { res, body } = await postJson<ErrorBody>(tickets, `/tickets/${UNKNOWN}/replies`, {}, { "idempotency-key": "bad key" });
    expect(res.status).toBe(400);
    expect(body.error.message).toMatch(/^Idempotency-Key: /);
  });

  it.each([
    ["PUT", "/tickets", "GET, HEAD, POST"],
    ["DELETE", `/tickets/${AD_ON_IOS}`, "GET, HEAD"],
    ["PUT", `/tickets/${AD_ON_IOS}/replies`, "GET, HEAD, POST"],
    ["PUT", "/tickets/addComment", "POST"],
    ["POST", "/replies", "GET, HEAD"],
  ])("answers %s %s with a 405 naming the allowed methods", async (method, path, allow) => {
    const res = await tickets.fetch(`http://t${path}`, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe(allow);
    expect(((await res.json()) as ErrorBody).error.code).toBe("method_not_allowed");
  });

  it("answers a JSON 404 for an unknown route", async () => {
    const { res, body } = await getJson<ErrorBody>(tickets, "/nope");
    expect(res.status).toBe(404);
    expect(body.error).toEqual({ code: "not_found", message: "no route for GET /nope" });
  });

  it.each(["0", "101", "-1", "abc", "2.5", ""])("answers 400 for GET /replies?limit=%s", async (limit) => {
    const { res, body } = await getJson<ErrorBody>(tickets, `/replies?limit=${limit}`);
    expect(res.status).toBe(400);
    expect(body.error.message).toMatch(/^limit: must be a whole number from 1 to 100/);
  });
});

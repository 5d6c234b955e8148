import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { asPlainWords, type SearchHit } from "../../workers/search/src/search-index.ts";
import { pumpStep } from "../../workers/search/src/pump-step.ts";
import { getJson, workerUnderTest, type ErrorBody } from "../support/http.ts";
import { emptyIndex, MemoryLog } from "./change-log.ts";

const search = (query: string) => getJson<{ hits: SearchHit[] }>(workerUnderTest(), `/search?${query}`);

beforeAll(async () => {
  await emptyIndex();
  const log = new MemoryLog()
    .ticket("t1", "Password reset mail never arrives", "Since Monday nobody gets the mail.")
    .ticket("t2", "Billing question", "Our invoice mentions a password reset fee, twice, which seems wrong to us.")
    .reply("r1", "t1", "<p>Did you check the <b>spam</b> folder? The password reset mail is sent from no-reply@example.com.</p>")
    .reply("r2", "t2", "We refund it.")
    .ticket("t3", "Dark mode", "A long description " + "of nothing in particular ".repeat(20) + "ending with the word zebra.");
  await pumpStep({ db: env.SEARCH_DB, readChanges: log.source });
});

describe("GET /search", () => {
  it("ranks a title match above body matches, and each reply below its ticket", async () => {
    const { res, body } = await search("q=password");
    expect(res.status).toBe(200);
    expect(body.hits.map((hit) => [hit.kind, hit.replyId ?? hit.ticketId])).toEqual([
      ["ticket", "t1"],
      ["reply", "r1"],
      ["ticket", "t2"],
    ]);
    const ranks = body.hits.map((hit) => hit.rank);
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
    expect(ranks.every((rank) => rank > 0)).toBe(true);
  });

  it("answers each hit with its ticket, its title and a snippet in segments, the matches flagged", async () => {
    const { body } = await search("q=spam");
    expect(body.hits).toEqual([
      {
        kind: "reply",
        ticketId: "t1",
        replyId: "r1",
        title: "Password reset mail never arrives",
        snippet: [
          { text: "Did you check the ", match: false },
          { text: "spam", match: true },
          { text: " folder? The password reset mail is sent from no-reply@example…", match: false },
        ],
        rank: expect.any(Number),
      },
    ]);
  });

  it("highlights every matched term, HTML stripped, and cuts a long body around the match", async () => {
    const { body } = await search(`q=${encodeURIComponent("zebra OR particular")}&limit=1`);
    const [hit] = body.hits;
    expect(hit?.ticketId).toBe("t3");
    expect(hit?.snippet.filter((segment) => segment.match).map((segment) => segment.text)).toContain("zebra");
    expect(hit?.snippet[0]?.text.startsWith("…")).toBe(true);
    const replies = await search("q=folder");
    expect(replies.body.hits[0]?.snippet.map((segment) => segment.text).join("")).not.toMatch(/<|>/);
  });

  it("takes FTS5 query syntax: phrases, prefixes, NOT, a column", async () => {
    const keys = async (q: string) => (await search(`q=${encodeURIComponent(q)}`)).body.hits.map((hit) => hit.replyId ?? hit.ticketId);
    expect(await keys('"reset fee"')).toEqual(["t2"]);
    expect(await keys("refun*")).toEqual(["r2"]);
    expect(await keys("password NOT spam")).toEqual(["t1", "t2"]);
    expect(await keys("title:billing")).toEqual(["t2"]);
    expect(await keys("  spam  ")).toEqual(["r1"]);
    expect(await keys("nothingmatchesthis")).toEqual([]);
  });

  it("answers at most limit hits, 10 by default", async () => {
    expect((await search("q=password&limit=2")).body.hits).toHaveLength(2);
    expect((await search("q=password&limit=50")).body.hits).toHaveLength(3);
  });

  it.each([
    ["no q", "limit=3", /^q: /],
    ["an empty q", "q=", /^q: must be 1 to 200 characters/],
    ["a blank q", `q=${encodeURIComponent("   ")}`, /^q: must be 1 to 200 characters/],
    ["a q of 201 characters", `q=${"a".repeat(201)}`, /^q: must be 1 to 200 characters/],
    ["limit 0", "q=spam&limit=0", /^limit: must be a whole number from 1 to 50/],
    ["limit 51", "q=spam&limit=51", /^limit: must be a whole number from 1 to 50/],
    ["limit 2.5", "q=spam&limit=2.5", /^limit: must be a whole number from 1 to 50/],
    ["limit abc", "q=spam&limit=abc", /^limit: must be a whole number from 1 to 50/],
  ])("answers %s with a 400 invalid_request naming the problem", async (_case, query, message) => {
    const { res, body } = await getJson<ErrorBody>(workerUnderTest(), `/search?${query}`);
    expect(res.status).toBe(400);
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.message).toMatch(message);
  });

  it.each([
    // What people type: FTS5 reads `-` as a column filter, `.`, `'`, `?`, `@` and `+` as syntax errors.
    ["password-reset", ["t1", "r1", "t2"]],
    ["no-reply@example.com", ["r1"]],
    ["example.com", ["r1"]],
    ["spam?", ["r1"]],
    ["refund it.", ["r2"]],
    ["e-mail", []],
    ["don't", []],
    ["1.0.1", []],
    ["C++", []],
    // FTS5 syntax gone wrong: searched for as the words it holds.
    ['"unbalanced', []],
    ['"reset fee', ["t2"]],
    ["AND", []],
    ["NOT spam", []],
    ["NEAR(password reset, x)", []],
    // A filter on a column the index does not have is the phrase "nosuch spam"; nothing names a column.
    ["nosuch:spam", []],
    ["snippet:x", []],
    ["*", []],
    ['"', []],
  ])("searches for %s as plain words when FTS5 cannot read it: a 200, never a 400 or a 500", async (q, keys) => {
    const { res, body } = await search(`q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    expect(body.hits.map((hit) => hit.replyId ?? hit.ticketId)).toEqual(keys);
  });

  it("turns a query into plain words that are always FTS5 syntax", () => {
    expect(asPlainWords('  e-mail  "reset\t*  ')).toBe('"e-mail" """reset" "*"');
  });

  it("takes a q of exactly 200 characters (after trimming)", async () => {
    const { res, body } = await search(`q=${encodeURIComponent(`  ${"a".repeat(200)}  `)}`);
    expect(res.status).toBe(200);
    expect(body.hits).toEqual([]);
  });
});

describe("the search Worker's other routes", () => {
  it("GET /health names the service and its version", async () => {
    const { res, body } = await getJson(workerUnderTest(), "/health");
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ service: "search", version: "1.0.0" });
  });

  it("answers an unknown route with a JSON 404 and a wrong method with a 405", async () => {
    expect((await getJson<ErrorBody>(workerUnderTest(), "/nope")).body.error.code).toBe("not_found");
    const res = await workerUnderTest().fetch("http://service.test/search", { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
  });
});

// The gateway's search routes: forwarded to search 1.0.0 (the rebuild behind the bearer token),
// and end to end with the real search Worker, whose pump the gateway's pokes wake.
// search-pokes.integration.test.ts has when the gateway pokes.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PokeCoverage } from "../../workers/gateway/src/search-pump/poke-coverage.ts";
import type { SearchHit } from "../../workers/search/src/search-index.ts";
import type { SearchStatus } from "../../workers/search/src/status.ts";
import type { Reply } from "../../workers/tickets/src/store/rows.ts";
import { workerUnderTest, type ErrorBody } from "../support/http.ts";
import { recordingBinding } from "./recording-binding.ts";
import { AD_ON_IOS, bearer, described, gatewayWith, postReply, send } from "./search-gateway.ts";

afterEach(() => vi.restoreAllMocks());

describe("the search routes", () => {
  it("forwards GET /search with its query and GET /search/status to search 1.0.0, open to all", async () => {
    const search = recordingBinding((request) => Response.json({ path: new URL(request.url).pathname }));
    const target = gatewayWith(search.binding);
    const hits = await send(target, "GET", "/search?q=ios%20login&limit=5");
    const status = await send(target, "GET", "/search/status");
    expect([hits.res.status, hits.body]).toEqual([200, { path: "/search" }]);
    expect([status.res.status, status.body]).toEqual([200, { path: "/search/status" }]);
    expect(hits.res.headers.get("x-served-by")).toBe("search@1.0.0");
    expect(described(search.requests)).toEqual(["GET /search?q=ios%20login&limit=5", "GET /search/status"]);
  });

  it("passes a search's 400 to the client as is", async () => {
    const refusal = { error: { code: "invalid_request", message: "q: not a valid search" } };
    const target = gatewayWith(recordingBinding(() => Response.json(refusal, { status: 400 })).binding);
    const { res, body } = await send(target, "GET", '/search?q="unclosed');
    expect([res.status, body]).toEqual([400, refusal]);
  });

  it("POST /search/rebuild with the token reaches search; the Authorization header does not", async () => {
    const search = recordingBinding(() => Response.json({ rebuilding: true }, { status: 202 }));
    const { res, body } = await send(gatewayWith(search.binding), "POST", "/search/rebuild", undefined, bearer());
    expect([res.status, body]).toEqual([202, { rebuilding: true }]);
    expect(described(search.requests)).toEqual(["POST /search/rebuild"]);
    expect(search.requests[0]?.headers.has("authorization")).toBe(false);
  });

  it("POST /search/rebuild without the token, or with a wrong one: 401 with WWW-Authenticate, and nothing reaches search", async () => {
    const search = recordingBinding(() => Response.json({}, { status: 202 }));
    const target = gatewayWith(search.binding);
    for (const headers of [{}, bearer("wrong"), bearer(`${env.SUBSCRIPTIONS_TOKEN}x`), { authorization: `Basic ${btoa(env.SUBSCRIPTIONS_TOKEN)}` }]) {
      const { res, body } = await send<ErrorBody>(target, "POST", "/search/rebuild", undefined, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
      expect(body.error.code).toBe("unauthorized");
    }
    const unset = await send<ErrorBody>(gatewayWith(search.binding, { SUBSCRIPTIONS_TOKEN: "" }), "POST", "/search/rebuild", undefined, bearer(""));
    expect([unset.res.status, unset.body.error.message]).toEqual([401, "rebuilding the search index is disabled: the gateway has no SUBSCRIPTIONS_TOKEN"]);
    expect(search.requests).toEqual([]);
  });

  it("answers a method the search routes do not take with 405 and Allow", async () => {
    const { res } = await send(gatewayWith(recordingBinding(() => Response.json({})).binding), "DELETE", "/search");
    expect([res.status, res.headers.get("allow")]).toEqual([405, "GET, HEAD"]);
  });

  it("GET /services lists search 1.0.0", async () => {
    const { body } = await send<{ services: { name: string; versions: { version: string }[] }[] }>(gatewayWith(recordingBinding(() => Response.json({})).binding), "GET", "/services");
    expect(body.services.find((s) => s.name === "search")?.versions.map((v) => v.version)).toEqual(["1.0.0"]);
  });
});

describe("end to end, the real search Worker", () => {
  /** Polls `GET /search?q=` through the gateway until it has hits, or gives up after `ms`. */
  async function hitsFor(q: string, ms = 5_000): Promise<SearchHit[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const { body } = await send<{ hits: SearchHit[] }>(workerUnderTest(), "GET", `/search?q=${q}`);
      if (body.hits.length > 0 || Date.now() > deadline) return body.hits;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it("a reply posted through the gateway is found through it moments later: the poke woke the pump", async () => {
    const gateway = workerUnderTest();
    const reply = await send<Reply>(gateway, "POST", `/tickets/${AD_ON_IOS}/replies`, { user: "Kim", message: "The zanzibarquux login loops" });
    expect(reply.res.status).toBe(201);
    const hits = await hitsFor("zanzibarquux");
    expect(hits.map(({ kind, ticketId, replyId }) => ({ kind, ticketId, replyId }))).toEqual([{ kind: "reply", ticketId: AD_ON_IOS, replyId: reply.body.id }]);
    const status = await send<SearchStatus>(gateway, "GET", "/search/status");
    expect(status.res.headers.get("x-served-by")).toBe("search@1.0.0");
    expect(status.body.checkpoint).toBeGreaterThan(0);
  });

  it("a reply written while an answered poke covers it sends no poke, and is found all the same: that poke's step read it", async () => {
    // The real search Worker behind a binding that records the pokes, and the gateway on the real
    // clock: only on it does "covered" mean that the real step is still to come. The first write
    // pokes; the next is covered if its answer arrives within the poke's step less the margin
    // (~80 ms). Should it arrive later (a machine under load), it pokes, and the next one tries.
    const search = recordingBinding((request) => env.SEARCH_V1_0_0.fetch(request));
    const gateway = gatewayWith(search.binding, {}, { pokeCoverage: new PokeCoverage() });
    const written: { word: string; reply: Reply; poked: boolean }[] = [];
    for (let n = 0; n < 10 && !written.some((write) => !write.poked); n++) {
      const pokes = search.requests.length;
      const word = `coverquux${n}x`;
      const reply = await postReply(gateway, `The ${word} export fails`);
      written.push({ word, reply, poked: search.requests.length > pokes });
    }
    const covered = written.find((write) => !write.poked);
    expect(written[0]?.poked).toBe(true);
    expect(covered).toBeDefined();
    // Found within 5 s, far sooner than the 30 s safety alarm: the step the earlier poke set up read it.
    for (const { word, reply } of written) {
      expect((await hitsFor(word)).map((hit) => hit.replyId)).toEqual([reply.id]);
    }
  });

  it("a rebuild through the gateway (with the token) is accepted, and the index has the reply again once the pump has caught up", async () => {
    const gateway = workerUnderTest();
    await send(gateway, "POST", `/tickets/${AD_ON_IOS}/replies`, { user: "Kim", message: "The quuxzanzibar export fails" });
    expect(await hitsFor("quuxzanzibar")).toHaveLength(1);
    const rebuild = await send(gateway, "POST", "/search/rebuild", undefined, bearer());
    expect(rebuild.res.status).toBe(202);
    expect(await hitsFor("quuxzanzibar")).toHaveLength(1);
  });
});

// When the gateway pokes the search pump: after a tickets write that succeeded or may have, unless
// an answered poke already covers it; never after one that was refused, and never at the cost of
// the client's answer.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createGatewayApp } from "../../workers/gateway/src/app.ts";
import { PokeCoverage, SAFETY_MARGIN_MS } from "../../workers/gateway/src/search-pump/poke-coverage.ts";
import type { Reply, Ticket } from "../../workers/tickets/src/store/rows.ts";
import { fakeClock } from "../dispatch/fakes.ts";
import { recordingBinding } from "./recording-binding.ts";
import { AD_ON_IOS, clientAddress, described, gatewayWith, postReply, send } from "./search-gateway.ts";

const UNKNOWN_TICKET = "0123456789abcdef01234567";

/** A stand-in search Worker that records each poke and holds its answer (`answer()`) until `release()`. */
function heldPokes(answer: () => Response) {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const search = recordingBinding(async () => {
    await held;
    return answer();
  });
  return { ...search, release };
}

/** Posts a reply straight to `app` and answers at once, leaving its `waitUntil` work (the poke) running, as the runtime does. */
async function postReplyLeavingPoke(app: ReturnType<typeof createGatewayApp>, search: Fetcher, message: string) {
  const ctx = createExecutionContext();
  const request = new Request(`http://gateway.test/tickets/${AD_ON_IOS}/replies`, {
    method: "POST",
    headers: { "content-type": "application/json", ...clientAddress() },
    body: JSON.stringify({ user: "A", message }),
  });
  return { res: await app.fetch(request, { ...env, SEARCH_V1_0_0: search }, ctx), ctx };
}

afterEach(() => vi.restoreAllMocks());

describe("the search pump is poked after a tickets write", () => {
  /** A stand-in search Worker that records each poke and answers `answer`. */
  const pokes = (answer: () => Response | Promise<Response> = () => new Response(null, { status: 202 })) => recordingBinding(answer);

  it("once after each write that succeeded: a ticket created, a reply added, a comment added", async () => {
    const search = pokes();
    const target = gatewayWith(search.binding);
    const ticket = await send<Ticket>(target, "POST", "/tickets", { title: "Search me" });
    const reply = await send<Reply>(target, "POST", `/tickets/${ticket.body.id}/replies`, { user: "A", message: "one" });
    const comment = await send<Reply>(target, "POST", "/tickets/addComment", { ticketId: ticket.body.id, user: "B", message: "two" });
    expect([ticket.res.status, reply.res.status, comment.res.status]).toEqual([201, 201, 201]);
    expect(described(search.requests)).toEqual(["POST /pump/poke", "POST /pump/poke", "POST /pump/poke"]);
    // The request id goes along, for the logs of both Workers.
    expect(search.requests[1]?.headers.get("x-request-id")).toBe(reply.res.headers.get("x-request-id"));
  });

  it("not after a write that was refused (400, 404), nor after a read", async () => {
    const search = pokes();
    const target = gatewayWith(search.binding);
    expect((await send(target, "POST", `/tickets/${AD_ON_IOS}/replies`, { user: "" })).res.status).toBe(400);
    expect((await send(target, "POST", `/tickets/${UNKNOWN_TICKET}/replies`, { user: "A", message: "lost" })).res.status).toBe(404);
    expect((await send(target, "POST", "/tickets", "{not json")).res.status).toBe(400);
    expect((await send(target, "GET", "/tickets")).res.status).toBe(200);
    expect((await send(target, "GET", `/tickets/${AD_ON_IOS}`)).res.status).toBe(200);
    expect(search.requests).toEqual([]);
  });

  it("after a write whose outcome is unknown, which may have been applied: every version failed (503), or the client went away mid-dispatch (499)", async () => {
    const failing = recordingBinding(() => new Response("boom", { status: 500 })).binding;
    const downSearch = pokes();
    const down = gatewayWith(downSearch.binding, { TICKETS_V1_0_0: failing, TICKETS_V1_0_1: failing });
    expect((await send(down, "POST", `/tickets/${AD_ON_IOS}/replies`, { user: "A", message: "nobody" })).res.status).toBe(503);
    expect(described(downSearch.requests)).toEqual(["POST /pump/poke"]);

    vi.spyOn(console, "log").mockImplementation(() => {});
    // tickets 1.0.1 still at work (it may commit yet) when the client leaves.
    const working = recordingBinding((request) => new Promise<Response>((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason))));
    const goneSearch = pokes();
    const gone = gatewayWith(goneSearch.binding, { TICKETS_V1_0_1: working.binding });
    const client = new AbortController();
    const answer = gone.fetch(`http://gateway.test/tickets/${AD_ON_IOS}/replies`, {
      method: "POST",
      headers: { "content-type": "application/json", ...clientAddress() },
      body: JSON.stringify({ user: "A", message: "left" }),
      signal: client.signal,
    });
    await vi.waitFor(() => expect(working.requests).toHaveLength(1));
    client.abort();
    expect((await answer).status).toBe(499);
    expect(described(goneSearch.requests)).toEqual(["POST /pump/poke"]);
  });

  it("a poke that fails (throws, or answers 500) changes nothing in the answer, and is logged at info", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    const errors = vi.spyOn(console, "error");
    const broken = [pokes(() => Promise.reject(new Error("search is down"))), pokes(() => new Response("no", { status: 500 }))];
    for (const search of broken) {
      const { res, body } = await send<Reply>(gatewayWith(search.binding), "POST", `/tickets/${AD_ON_IOS}/replies`, { user: "A", message: "still stored" });
      expect([res.status, body.message, res.headers.get("x-served-by")]).toEqual([201, "still stored", "tickets@1.0.1"]);
      expect(search.requests).toHaveLength(1);
    }
    const failures = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === "gateway.search_poke_failed");
    expect(failures.map(({ level, errorMessage, status }) => ({ level, errorMessage, status }))).toEqual([
      { level: "info", errorMessage: "search is down", status: undefined },
      { level: "info", errorMessage: undefined, status: 500 },
    ]);
    expect(errors).not.toHaveBeenCalled();
  });

  it("does not hold the answer: the client has its 201 while the poke is still under way", async () => {
    const search = heldPokes(() => new Response(null, { status: 202 }));
    const { res, ctx } = await postReplyLeavingPoke(createGatewayApp(), search.binding, "fast");
    expect(res.status).toBe(201);
    expect(search.requests).toHaveLength(1);
    search.release();
    await waitOnExecutionContext(ctx);
  });
});

describe("a poke answered covers the writes its step reads anyway", () => {
  /** A stand-in search Worker that records each poke and answers that the step is `stepInMs` away. */
  const answering = (stepInMs: number) => recordingBinding(() => Response.json({ poked: true, stepInMs }, { status: 202 }));
  /** A gateway with its own poke coverage, on a clock that moves only when the test moves it. */
  const coveredGateway = (search: Fetcher) => {
    const clock = fakeClock();
    return { clock, target: gatewayWith(search, {}, { pokeCoverage: new PokeCoverage(clock.now) }) };
  };

  it("two writes in quick succession send one poke; a write once the covered time is over pokes again", async () => {
    const search = answering(100);
    const { clock, target } = coveredGateway(search.binding);
    await postReply(target, "first");
    clock.advance(10);
    await postReply(target, "read by the first poke's step");
    // The last moment covered: the step is due 100 ms after the first poke was sent, less the margin.
    clock.advance(100 - SAFETY_MARGIN_MS - 10 - 1);
    await postReply(target, "still read by it");
    expect(described(search.requests)).toEqual(["POST /pump/poke"]);
    clock.advance(1);
    await postReply(target, "too late for it");
    expect(described(search.requests)).toEqual(["POST /pump/poke", "POST /pump/poke"]);
  });

  it("a write answered while a poke is in flight waits for that poke's answer, and sends none when it covers the write", async () => {
    const search = heldPokes(() => Response.json({ poked: true, stepInMs: 100 }, { status: 202 }));
    const app = createGatewayApp({ pokeCoverage: new PokeCoverage(fakeClock().now) });
    const write = async (message: string) => {
      const { res, ctx } = await postReplyLeavingPoke(app, search.binding, message);
      expect(res.status).toBe(201);
      return ctx;
    };
    const first = await write("its poke is held");
    const second = await write("written while that poke is in flight");
    expect(search.requests).toHaveLength(1);
    search.release();
    await Promise.all([waitOnExecutionContext(first), waitOnExecutionContext(second)]);
    await waitOnExecutionContext(await write("written once the poke has answered"));
    expect(search.requests).toHaveLength(1);
  });

  it("a poke that failed covers nothing, and one answered without a usable stepInMs promises no delay: the next write, in the same millisecond, pokes again", async () => {
    const answers: (() => Response | Promise<Response>)[] = [
      () => Promise.reject(new Error("search is down")),
      () => Response.json({ poked: true, stepInMs: 100 }, { status: 500 }),
      () => new Response(null, { status: 202 }),
      () => Response.json({ poked: true }, { status: 202 }),
      () => Response.json({ poked: true, stepInMs: "100" }, { status: 202 }),
      () => Response.json({ poked: true, stepInMs: -100 }, { status: 202 }),
    ];
    vi.spyOn(console, "log").mockImplementation(() => {});
    for (const answer of answers) {
      const search = recordingBinding(answer);
      const { target } = coveredGateway(search.binding);
      await postReply(target, "one");
      await postReply(target, "two, at the same moment");
      expect(described(search.requests)).toEqual(["POST /pump/poke", "POST /pump/poke"]);
    }
  });
});

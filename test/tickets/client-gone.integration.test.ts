import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createTicketsApp } from "../../workers/tickets/src/app.ts";
import { appTarget } from "../support/app-target.ts";
import type { ErrorBody } from "../support/http.ts";
import { captureLogLines } from "../support/log-lines.ts";

// A caller that goes away mid-request (the gateway's attempt timed out, its client left) is not a
// failure of the tickets service: logged at info, not as request.failed. The tickets configs set
// enable_request_signal so that the runtime aborts the request's signal when that happens; a body
// that breaks off is the caller's doing whether or not the signal has aborted yet.
const tickets = appTarget(createTicketsApp(), env);

/** A POST /tickets whose body breaks off the way the runtime's does when the client disconnects. */
function brokenOffPost(signal?: AbortSignal): Promise<Response> {
  const body = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"title":'));
      controller.error(new Error("Can't read from request stream because client disconnected."));
    },
  });
  return tickets.fetch("http://t/tickets", { method: "POST", headers: { "content-type": "application/json" }, body, signal, duplex: "half" } as RequestInit);
}

describe("a request whose client went away", () => {
  it("is logged at info as request.aborted, never as request.failed, and stores nothing", async () => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM tickets").first<number>("n");
    const lines = captureLogLines();
    expect((await brokenOffPost(AbortSignal.abort())).status).toBe(499);
    expect(lines()).toEqual([expect.objectContaining({ level: "info", event: "request.aborted", method: "POST", path: "/tickets" })]);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM tickets").first<number>("n")).toBe(before);
  });

  it("is the client's doing also when its body breaks off before the signal aborts (or without it): an incoming body fails only so", async () => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM tickets").first<number>("n");
    const lines = captureLogLines();
    const res = await brokenOffPost();
    expect(res.status).toBe(499);
    expect(((await res.json()) as ErrorBody).error.code).toBe("client_closed_request");
    expect(lines()).toEqual([expect.objectContaining({ level: "info", event: "request.aborted", path: "/tickets" })]);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM tickets").first<number>("n")).toBe(before);
  });
});

import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTicketsApp } from "../../workers/tickets/src/app.ts";
import { appTarget } from "../support/app-target.ts";

// A caller that goes away mid-request (the gateway's attempt timed out, its client left) is not a
// failure of the tickets service: logged at info, not as request.failed. The tickets configs set
// enable_request_signal so that the runtime aborts the request's signal when that happens.
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

/** The JSON log lines written with `method` during `run`. */
async function logLines(method: "log" | "error", run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const spy = vi.spyOn(console, method).mockImplementation(() => {});
  await run();
  return spy.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a request whose client went away", () => {
  it("is logged at info as request.aborted, never as request.failed, and stores nothing", async () => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM tickets").first<number>("n");
    const errors: Record<string, unknown>[] = [];
    const infos = await logLines("log", async () => {
      errors.push(...(await logLines("error", async () => expect((await brokenOffPost(AbortSignal.abort())).status).toBe(499))));
    });
    expect(errors).toEqual([]);
    expect(infos).toEqual([expect.objectContaining({ level: "info", event: "request.aborted", method: "POST", path: "/tickets" })]);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM tickets").first<number>("n")).toBe(before);
  });

  it("while the same error with the client still there is an internal error, logged as one", async () => {
    const errors = await logLines("error", async () => expect((await brokenOffPost()).status).toBe(500));
    expect(errors).toEqual([expect.objectContaining({ level: "error", event: "request.failed", path: "/tickets" })]);
  });
});

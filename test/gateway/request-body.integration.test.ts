import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BODY_LIMIT_BYTES } from "#shared/http/json-body/index.ts";
import { boundedBody } from "#shared/http/json-body/bounded-body.ts";
import { createGatewayApp } from "../../workers/gateway/src/app.ts";
import { appTarget } from "../support/app-target.ts";
import type { ErrorBody } from "../support/http.ts";
import { captureLogLines } from "../support/log-lines.ts";
import { recordingBinding } from "./recording-binding.ts";

// The gateway holds a client's body to the services' limit and sends it on. A body without a
// Content-Length (chunked, or HTTP/2 without one) is the case to get right.

const AD_ON_IOS = "55e633dcfa7864d21a226053";
const encoder = new TextEncoder();
const CHUNK = new Uint8Array(16 * 1024).fill(0x61);
/** Chunks of {@link CHUNK} past the limit: 64 KiB is 4 of them, this is 20. */
const OVERSIZED = Array.from({ length: 20 }, () => CHUNK);

/** A body stream of `chunks`, counting how many the reader pulled; `onPull(n)` runs before the n-th. */
function chunkedBody(chunks: Uint8Array[], onPull?: (n: number, controller: ReadableStreamDefaultController<Uint8Array>) => boolean) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (onPull?.(pulled, controller)) return;
        const next = chunks[pulled];
        if (next === undefined) return controller.close();
        pulled++;
        controller.enqueue(next);
      },
    },
    // Pulled only when read: no chunk is taken ahead of the reader.
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled };
}

const request = (method: string, path: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}, signal?: AbortSignal) =>
  new Request(`http://gateway.test${path}`, { method, headers: { "content-type": "application/json", ...headers }, body, signal });

/** The gateway with tickets recorded, answering as the real one. */
function recordedGateway() {
  const tickets = recordingBinding((sent) => env.TICKETS_V1_0_1.fetch(sent));
  return { gateway: appTarget(createGatewayApp(), { ...env, TICKETS_V1_0_1: tickets.binding }), tickets };
}

describe("a request body without a Content-Length", () => {
  it("is sent on to the service byte for byte, and the write is made", async () => {
    const message = "sent in three chunks: ünïcode split across them";
    const bytes = encoder.encode(JSON.stringify({ user: "Ana", message }));
    const { stream } = chunkedBody([bytes.slice(0, 10), bytes.slice(10, 41), bytes.slice(41)]);
    const { gateway, tickets } = recordedGateway();
    const res = await gateway.fetch(request("POST", `/tickets/${AD_ON_IOS}/replies`, stream));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ user: "Ana", message });
    expect(tickets.requests).toHaveLength(1);
  });

  it("over the limit is a 413 before any service is called, and the rest of the stream is not read", async () => {
    const { stream, pulled } = chunkedBody(OVERSIZED);
    const { gateway, tickets } = recordedGateway();
    const res = await gateway.fetch(request("POST", "/tickets", stream));
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorBody).error.code).toBe("payload_too_large");
    expect(tickets.requests).toEqual([]);
    // The fifth 16 KiB chunk crosses the limit, and the reading stops there.
    expect(pulled()).toBe(BODY_LIMIT_BYTES / CHUNK.byteLength + 1);
  });

  it("from a client that goes away half-way is a 499, logged as such, and no service is called", async () => {
    const client = new AbortController();
    const { stream } = chunkedBody([encoder.encode('{"user":"Ana",'), encoder.encode('"message":"never ends"}')], (n, controller) => {
      if (n !== 1) return false;
      client.abort(new Error("client went away"));
      controller.error(new Error("connection reset"));
      return true;
    });
    const { gateway, tickets } = recordedGateway();
    const res = await gateway.fetch(request("POST", `/tickets/${AD_ON_IOS}/replies`, stream, {}, client.signal));
    expect(res.status).toBe(499);
    expect(tickets.requests).toEqual([]);
  });
});

describe("a body that breaks off while the gateway reads it (the client gone, the request's signal not aborted)", () => {
  /** A body that sends its first chunk, then fails as workerd's does when the client's connection drops. */
  const brokenOff = () =>
    chunkedBody([encoder.encode('{"user":"Ana",')], (n, controller) => {
      if (n !== 1) return false;
      controller.error(new Error("Network connection lost."));
      return true;
    });

  it.each([
    ["sent chunked", {}],
    ["with a Content-Length", { "content-length": "40" }],
  ])("%s: a 499 logged at info as request.aborted, no error logged, no service called", async (_how, headers) => {
    const lines = captureLogLines();
    const { gateway, tickets } = recordedGateway();
    const res = await gateway.fetch(request("POST", `/tickets/${AD_ON_IOS}/replies`, brokenOff().stream, { ...headers, "x-request-id": "cut-1" }));
    expect(res.status).toBe(499);
    expect(((await res.json()) as ErrorBody).error.code).toBe("client_closed_request");
    expect(tickets.requests).toEqual([]);
    const events = lines();
    expect(events.find((e) => e.event === "request.aborted")).toMatchObject({ level: "info", requestId: "cut-1" });
    expect(events.filter((e) => e.event === "request.failed" || e.level === "error")).toEqual([]);
  });
});

describe("an oversized body on a route that does not forward it", () => {
  it.each([
    ["without the token the route asks for", "POST", "/subscriptions", 401],
    ["on a path the gateway does not serve", "POST", "/admin", 404],
    ["with a method the path does not take", "PUT", "/tickets", 405],
  ])("is not read: %s it is answered as such", async (_what, method, path, status) => {
    const { stream, pulled } = chunkedBody(OVERSIZED);
    const { gateway, tickets } = recordedGateway();
    const res = await gateway.fetch(request(method, path, stream));
    expect(res.status).toBe(status);
    expect(pulled()).toBe(0);
    expect(tickets.requests).toEqual([]);
  });
});

describe("boundedBody", () => {
  const chunked = (chunks: Uint8Array[], method = "POST") => new Request("http://x.test/", { method, body: chunkedBody(chunks).stream });

  it("takes a body without a length of exactly the limit and refuses one byte more", async () => {
    const limit = 1_000;
    expect((await boundedBody(chunked([new Uint8Array(600), new Uint8Array(400)]), limit))?.constructor).toBe(Uint8Array);
    expect(((await boundedBody(chunked([new Uint8Array(600), new Uint8Array(400)]), limit)) as Uint8Array).byteLength).toBe(limit);
    await expect(boundedBody(chunked([new Uint8Array(600), new Uint8Array(401)]), limit)).rejects.toMatchObject({ status: 413 });
  });

  it("joins the chunks in order; an empty body is empty bytes", async () => {
    const body = (await boundedBody(chunked([encoder.encode("ab"), encoder.encode("cd"), encoder.encode("e")]), 100)) as Uint8Array;
    expect(new TextDecoder().decode(body)).toBe("abcde");
    expect(await boundedBody(chunked([]), 100)).toEqual(new Uint8Array(0));
  });

  it("judges a body with a Content-Length by it: over the limit a 413 unread, within it the bytes", async () => {
    const within = chunkedBody([new Uint8Array(10).fill(7)]);
    const withinRequest = new Request("http://x.test/", { method: "POST", body: within.stream, headers: { "content-length": "10" } });
    expect(await boundedBody(withinRequest, 1_000)).toEqual(new Uint8Array(10).fill(7));
    const over = chunkedBody([new Uint8Array(10)]);
    await expect(boundedBody(new Request("http://x.test/", { method: "POST", body: over.stream, headers: { "content-length": "5000" } }), 1_000)).rejects.toMatchObject({ status: 413 });
    expect(over.pulled()).toBe(0);
  });

  it("reads a body whose Content-Length is not a plain number, within the limit", async () => {
    for (const length of ["", "1e3", "0x10", "+10"]) {
      const body = chunkedBody([new Uint8Array(600), new Uint8Array(600)]);
      const odd = new Request("http://x.test/", { method: "POST", body: body.stream, headers: { "content-length": length } });
      await expect(boundedBody(odd, 1_000), `Content-Length "${length}"`).rejects.toMatchObject({ status: 413 });
    }
  });

  it("is null for no body, and for the body of a GET or HEAD, which it does not read", async () => {
    expect(await boundedBody(new Request("http://x.test/", { method: "POST" }), 100)).toBeNull();
    const get = chunkedBody([new Uint8Array(10)]);
    const withBody = new Proxy(new Request("http://x.test/"), {
      get: (target, key) => (key === "body" ? get.stream : Reflect.get(target, key, target)),
    });
    expect(await boundedBody(withBody, 100)).toBeNull();
    expect(get.pulled()).toBe(0);
  });
});

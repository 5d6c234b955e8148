import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BODY_LIMIT_BYTES } from "#shared/http/json-body/index.ts";
import { readBodyWithin } from "#shared/http/json-body/read-body-within.ts";
import { createGatewayApp } from "../../workers/gateway/src/app.ts";
import { appTarget } from "../support/app-target.ts";
import type { ErrorBody } from "../support/http.ts";
import { recordingBinding } from "./recording-binding.ts";

// The gateway reads a client's body once, within the services' limit, and sends those bytes on.
// A body without a Content-Length (chunked, or HTTP/2 without one) is the case to get right.

const AD_ON_IOS = "55e633dcfa7864d21a226053";
const encoder = new TextEncoder();

/** A body stream of `chunks`, counting how many the reader pulled. */
function chunkedBody(chunks: Uint8Array[]) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[pulled];
      if (next === undefined) return controller.close();
      pulled++;
      controller.enqueue(next);
    },
    // Pulled only when read: no chunk is taken ahead of the reader.
  }, { highWaterMark: 0 });
  return { stream, pulled: () => pulled };
}

const post = (path: string, body: ReadableStream<Uint8Array>) =>
  new Request(`http://gateway.test${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });

describe("a request body without a Content-Length", () => {
  it("is sent on to the service byte for byte, in one piece, and the write is made", async () => {
    const json = JSON.stringify({ user: "Ana", message: "sent in three chunks: ünïcode split across them" });
    const bytes = encoder.encode(json);
    const { stream } = chunkedBody([bytes.slice(0, 10), bytes.slice(10, 41), bytes.slice(41)]);
    const tickets = recordingBinding((request) => env.TICKETS_V1_0_1.fetch(request));
    const gateway = appTarget(createGatewayApp(), { ...env, TICKETS_V1_0_1: tickets.binding });
    const res = await gateway.fetch(post(`/tickets/${AD_ON_IOS}/replies`, stream));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ user: "Ana", message: "sent in three chunks: ünïcode split across them" });
    expect(tickets.requests).toHaveLength(1);
  });

  it("over the limit is a 413 before any service is called, and the rest of the stream is not read", async () => {
    const chunk = new Uint8Array(16 * 1024).fill(0x61);
    const chunks = Array.from({ length: 20 }, () => chunk);
    const { stream, pulled } = chunkedBody(chunks);
    const tickets = recordingBinding((request) => env.TICKETS_V1_0_1.fetch(request));
    const gateway = appTarget(createGatewayApp(), { ...env, TICKETS_V1_0_1: tickets.binding });
    const res = await gateway.fetch(post("/tickets", stream));
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorBody).error.code).toBe("payload_too_large");
    expect(tickets.requests).toEqual([]);
    // 64 KiB is 4 chunks of 16 KiB: the fifth crosses the limit and the reading stops there.
    expect(pulled()).toBe(BODY_LIMIT_BYTES / chunk.byteLength + 1);
  });
});

describe("readBodyWithin", () => {
  const request = (chunks: Uint8Array[], method = "POST") => new Request("http://x.test/", { method, body: chunkedBody(chunks).stream });

  it("takes a body of exactly the limit and refuses one byte more", async () => {
    const limit = 1_000;
    expect((await readBodyWithin(request([new Uint8Array(600), new Uint8Array(400)]), limit))?.byteLength).toBe(limit);
    await expect(readBodyWithin(request([new Uint8Array(600), new Uint8Array(401)]), limit)).rejects.toMatchObject({ status: 413 });
  });

  it("joins the chunks in order", async () => {
    const body = await readBodyWithin(request([encoder.encode("ab"), encoder.encode("cd"), encoder.encode("e")]), 100);
    expect(new TextDecoder().decode(body ?? undefined)).toBe("abcde");
  });

  it("refuses at once a body whose Content-Length is over the limit, without reading it", async () => {
    const { stream, pulled } = chunkedBody([new Uint8Array(10)]);
    const declared = new Request("http://x.test/", { method: "POST", body: stream, headers: { "content-length": "5000" } });
    await expect(readBodyWithin(declared, 1_000)).rejects.toMatchObject({ status: 413 });
    expect(pulled()).toBe(0);
  });

  it("is null for no body", async () => {
    expect(await readBodyWithin(new Request("http://x.test/", { method: "POST" }), 100)).toBeNull();
  });
});

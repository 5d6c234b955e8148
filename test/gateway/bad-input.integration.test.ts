import { env } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { createGatewayApp } from "../../workers/gateway/src/app.ts";
import { MAX_ACCEPT_VERSION_LENGTH } from "../../workers/gateway/src/accept-version.ts";
import { appTarget } from "../support/app-target.ts";
import { getJson, postJson, type ErrorBody } from "../support/http.ts";
import { captureLogLines } from "../support/log-lines.ts";
import { WEBSOCKET_KEY } from "../support/websocket-handshake.ts";
import { recordingBinding } from "./recording-binding.ts";

// What a black-box fuzz of the gateway found, one describe each: every bad input is a 4xx in
// the error envelope, decided before any service is called.

const AD_ON_IOS = "55e633dcfa7864d21a226053";

/** The gateway with every service binding recorded, each answering as the real one. */
function recordedGateway() {
  const tickets = recordingBinding((request) => env.TICKETS_V1_0_1.fetch(request));
  const feed = recordingBinding((request) => env.REPLY_FEED_V1_0_0.fetch(request));
  const gateway = appTarget(createGatewayApp(), { ...env, TICKETS_V1_0_1: tickets.binding, REPLY_FEED_V1_0_0: feed.binding });
  return { gateway, tickets, feed };
}

/**
 * A GET (or HEAD) that carries a body, as the runtime hands one to a Worker when a client sends
 * `Transfer-Encoding: chunked` with it. A Request with both cannot be constructed, so this is
 * a real GET Request seen through a proxy that shows a body.
 */
function requestWithBody(method: "GET" | "HEAD", path: string): Request {
  const request = new Request(`http://gateway.test${path}`, { method, headers: { "transfer-encoding": "chunked" } });
  const body = new Blob(["ignored body"]).stream();
  return new Proxy(request, {
    get(target, property) {
      if (property === "body") return body;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe("a GET or HEAD with a body (Transfer-Encoding: chunked)", () => {
  it("is answered as without one: the body is ignored, never a 500", async () => {
    const app = createGatewayApp();
    const health = await app.fetch(requestWithBody("GET", "/health"), env, createExecutionContext());
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ service: "gateway" });
    const head = await app.fetch(requestWithBody("HEAD", "/tickets"), env, createExecutionContext());
    expect(head.status).toBe(200);
  });
});

describe("a body sent compressed", () => {
  it.each(["gzip", "br", "GZIP, deflate"])("(Content-Encoding %s) is a 415 before it is read or sent on", async (encoding) => {
    const { gateway, tickets } = recordedGateway();
    const res = await gateway.fetch(`http://gateway.test/tickets/${AD_ON_IOS}/replies`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": encoding },
      body: new Uint8Array([0x1f, 0x8b, 0x08, 0x00]),
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: "unsupported_media_type", message: expect.stringMatching(/^Content-Encoding .* is not supported/) });
    expect(tickets.requests).toEqual([]);
  });

  it("(Content-Encoding identity) is taken as it is", async () => {
    const { gateway } = recordedGateway();
    const { res } = await postJson(gateway, `/tickets/${AD_ON_IOS}/replies`, { user: "Ana", message: "not compressed" }, { "content-encoding": "identity" });
    expect(res.status).toBe(201);
  });
});

describe("an Idempotency-Key the gateway would not echo", () => {
  const badKeys: [string, string][] = [
    ["20,000 characters", "k".repeat(20_000)],
    ["256 characters", "k".repeat(256)],
    ["a control byte", "k\x01k"],
    ["an escape sequence", "\x1b[31m"],
    ["a space", "two words"],
    ["empty", ""],
  ];

  it.each(badKeys)("with %s is a 400 before any service is called, and not sent back", async (_, key) => {
    const { gateway, tickets } = recordedGateway();
    const { res, body } = await postJson<ErrorBody>(gateway, `/tickets/${AD_ON_IOS}/replies`, { user: "Ana", message: "m" }, { "idempotency-key": key });
    expect(res.status).toBe(400);
    expect(body.error).toEqual({
      code: "invalid_request",
      message: "Idempotency-Key: must be 1 to 255 printable ASCII characters",
      details: [{ path: "Idempotency-Key", message: "must be 1 to 255 printable ASCII characters" }],
    });
    expect(res.headers.get("idempotency-key")).toBeNull();
    expect(tickets.requests).toEqual([]);
  });

  it("a key of 255 printable characters is used and echoed", async () => {
    const key = "~".repeat(254) + "!";
    const { res } = await postJson(recordedGateway().gateway, `/tickets/${AD_ON_IOS}/replies`, { user: "Ana", message: "longest key" }, { "idempotency-key": key });
    expect(res.status).toBe(201);
    expect(res.headers.get("idempotency-key")).toBe(key);
  });
});

/** A valid range of `length` characters: one that whitespace pads out. */
const rangeOfLength = (length: number) => `1.0.0 ||${" ".repeat(length - 14)}^1.0.0`;

describe("Accept-Version", () => {
  it(`longer than ${MAX_ACCEPT_VERSION_LENGTH} characters is a 400 before it is parsed or sent on`, async () => {
    const { gateway, tickets } = recordedGateway();
    const { res, body } = await getJson<ErrorBody>(gateway, "/tickets", { "accept-version": rangeOfLength(MAX_ACCEPT_VERSION_LENGTH + 1) });
    expect(res.status).toBe(400);
    expect(body.error).toEqual({
      code: "invalid_request",
      message: `Accept-Version: at most ${MAX_ACCEPT_VERSION_LENGTH} characters`,
      details: [{ path: "Accept-Version", message: `longer than ${MAX_ACCEPT_VERSION_LENGTH} characters` }],
    });
    expect(tickets.requests).toEqual([]);
  });

  it(`of ${MAX_ACCEPT_VERSION_LENGTH} characters is read`, async () => {
    const range = rangeOfLength(MAX_ACCEPT_VERSION_LENGTH);
    const { res } = await getJson(recordedGateway().gateway, "/tickets", { "accept-version": range });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-served-by")).toBe("tickets@1.0.1");
  });
});

describe("a WebSocket handshake on GET /replies/live", () => {
  const live = (headers: Record<string, string>) => {
    const { gateway, feed } = recordedGateway();
    return { feed, response: gateway.fetch("http://gateway.test/replies/live", { headers }) };
  };

  it("without Upgrade is a JSON 426 naming the upgrade", async () => {
    const { feed, response } = live({});
    const res = await response;
    expect(res.status).toBe(426);
    expect(res.headers.get("upgrade")).toBe("websocket");
    expect(((await res.json()) as ErrorBody).error.code).toBe("invalid_request");
    expect(feed.requests).toEqual([]);
  });

  it.each([
    ["without Sec-WebSocket-Key", { upgrade: "websocket", "sec-websocket-version": "13" }],
    ["with a key of 15 bytes", { upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": "AAAAAAAAAAAAAAAAAAAA" }],
    ["with a key that is not base64", { upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": "not a key at all, not at all" }],
  ])("%s is a JSON 400, and the feed opens no socket", async (_, headers) => {
    const { feed, response } = live(headers);
    const res = await response;
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: "invalid_request", message: "Sec-WebSocket-Key: must be 16 bytes in base64" });
    expect(feed.requests).toEqual([]);
  });

  it.each([["8"], ["14"], [""]])("with Sec-WebSocket-Version %j is a JSON 426 naming version 13", async (version) => {
    const { feed, response } = live({ upgrade: "websocket", "sec-websocket-version": version, "sec-websocket-key": WEBSOCKET_KEY });
    const res = await response;
    expect(res.status).toBe(426);
    expect(res.headers.get("sec-websocket-version")).toBe("13");
    expect(((await res.json()) as ErrorBody).error.message).toBe("Sec-WebSocket-Version: only 13 is spoken");
    expect(feed.requests).toEqual([]);
  });

  it("that is complete reaches the feed with its handshake headers and opens", async () => {
    const { feed, response } = live({ upgrade: "websocket", connection: "Upgrade", "sec-websocket-version": "13", "sec-websocket-key": WEBSOCKET_KEY });
    const res = await response;
    expect(res.status).toBe(101);
    res.webSocket!.accept();
    res.webSocket!.close(1000, "test done");
    const sent = feed.requests[0]!.headers;
    expect([sent.get("upgrade"), sent.get("sec-websocket-version"), sent.get("sec-websocket-key")]).toEqual(["websocket", "13", WEBSOCKET_KEY]);
  });
});

describe("a client that goes away", () => {
  it("stops the dispatch (the service's signal aborts, no fallback) and is logged at info, not as a failure", async () => {
    const lines = captureLogLines();
    let serviceSignal: AbortSignal | undefined;
    // tickets 1.0.1 that works until the caller gives up.
    const slow = recordingBinding(
      (request) =>
        new Promise<Response>((_, reject) => {
          serviceSignal = request.signal;
          request.signal.addEventListener("abort", () => reject(request.signal.reason));
        }),
    );
    const fallback = recordingBinding((request) => env.TICKETS_V1_0_0.fetch(request));
    const gateway = appTarget(createGatewayApp(), { ...env, TICKETS_V1_0_1: slow.binding, TICKETS_V1_0_0: fallback.binding });
    const client = new AbortController();
    const answer = gateway.fetch("http://gateway.test/tickets", { signal: client.signal, headers: { "x-request-id": "gone-1" } });
    await vi.waitFor(() => expect(slow.requests).toHaveLength(1));
    client.abort();
    const res = await answer;

    expect(res.status).toBe(499);
    expect(serviceSignal?.aborted).toBe(true);
    expect(fallback.requests).toEqual([]);
    const events = lines();
    expect(events.find((e) => e.event === "dispatch.attempt")).toMatchObject({ outcome: "aborted", requestId: "gone-1" });
    expect(events.find((e) => e.event === "request.aborted")).toMatchObject({ level: "info", requestId: "gone-1" });
    expect(events.filter((e) => e.event === "request.failed" || e.level === "error")).toEqual([]);
  });
});

describe("a path that decodes to another route", () => {
  // %5C decodes to a backslash, which a URL parser reads as "/": sent on decoded, this open
  // ticket route would have reached the token-guarded subscriptions (and the internal change log).
  it.each([
    "/tickets/..%5C..%5Csubscriptions",
    "/tickets/..%5C..%5Csubscriptions%5Cabc%5Cdeliveries",
    "/tickets/..%5C..%5Cchanges",
    "/tickets/%2e%2e%5C%2e%2e%5Csubscriptions",
  ])("GET %s reaches tickets as the one ticket id it is, and is refused", async (path) => {
    const { gateway, tickets } = recordedGateway();
    const { res, body } = await getJson<ErrorBody>(gateway, path);
    expect(res.status).toBe(400);
    expect(body.error.code).toBe("invalid_request");
    for (const request of tickets.requests) expect(new URL(request.url).pathname.startsWith("/tickets/")).toBe(true);
  });
});


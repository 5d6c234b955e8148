import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createGatewayApp } from "../../workers/gateway/src/app.ts";
import { NO_ADDRESS_KEY } from "../../workers/gateway/src/rate-limit/index.ts";
import { LIVE_LIMIT, SEARCH_LIMIT, WRITE_LIMIT } from "../../workers/gateway/src/rate-limits.ts";
import { appTarget } from "../support/app-target.ts";
import { getJson, postJson, type ErrorBody } from "../support/http.ts";
import { WEBSOCKET_HANDSHAKE } from "../support/websocket-handshake.ts";
import { recordingBinding } from "./recording-binding.ts";

// The gateway's limiters swapped for one of 2 a minute (test/gateway/project.ts). Its counters
// live as long as the test run, so each test uses addresses of its own.

const AD_ON_IOS = "55e633dcfa7864d21a226053";

/** The gateway with both limits at 2 a minute, and tickets 1.0.1 recorded. */
function tightGateway() {
  const tickets = recordingBinding((request) => env.TICKETS_V1_0_1.fetch(request));
  const gateway = appTarget(createGatewayApp(), {
    ...env,
    TICKETS_V1_0_1: tickets.binding,
    WRITE_RATE_LIMITER: env.TEST_TIGHT_LIMITER,
    LIVE_RATE_LIMITER: env.TEST_TIGHT_LIMITER,
    SEARCH_RATE_LIMITER: env.TEST_TIGHT_LIMITER,
  });
  const reply = (address: string | undefined) =>
    postJson<ErrorBody>(gateway, `/tickets/${AD_ON_IOS}/replies`, { user: "Ana", message: "limited" }, address ? { "cf-connecting-ip": address } : {});
  return { gateway, tickets, reply };
}

describe("writes per client address", () => {
  it("past the limit: a 429 rate_limited in the error envelope, with Retry-After, and no service called", async () => {
    const { tickets, reply } = tightGateway();
    expect((await reply("203.0.113.1")).res.status).toBe(201);
    expect((await reply("203.0.113.1")).res.status).toBe(201);
    const { res, body } = await reply("203.0.113.1");
    expect(res.status).toBe(429);
    expect(body.error).toEqual({ code: "rate_limited", message: "too many writes from this address: retry after 60 s" });
    expect(res.headers.get("retry-after")).toBe(String(WRITE_LIMIT.periodSeconds));
    expect(res.headers.get("x-request-id")).toMatch(/\S/);
    expect(tickets.requests).toHaveLength(2);
  });

  it("counts each address on its own", async () => {
    const { reply } = tightGateway();
    for (let n = 0; n < 3; n++) await reply("203.0.113.2");
    expect((await reply("203.0.113.2")).res.status).toBe(429);
    expect((await reply("203.0.113.3")).res.status).toBe(201);
    expect((await reply("2001:db8::3")).res.status).toBe(201);
  });

  it("counts an IPv6 client by its /64, the network it may send from", async () => {
    const { reply } = tightGateway();
    expect((await reply("2001:db8:0:42::1")).res.status).toBe(201);
    expect((await reply("2001:0db8:0000:0042:ffff:ffff:ffff:ffff")).res.status).toBe(201);
    expect((await reply("2001:db8:0:42:abcd::9")).res.status).toBe(429);
    expect((await reply("2001:db8:0:43::1")).res.status).toBe(201);
  });

  it(`counts requests without an address (never through the edge) under one key, "${NO_ADDRESS_KEY}"`, async () => {
    const { reply } = tightGateway();
    for (let n = 0; n < 2; n++) await reply(undefined);
    expect((await reply(undefined)).res.status).toBe(429);
    expect((await reply("203.0.113.4")).res.status).toBe(201);
  });
});

describe("reads", () => {
  it("are never limited, and do not use up an address's writes", async () => {
    const { gateway, reply } = tightGateway();
    for (const path of ["/tickets", `/tickets/${AD_ON_IOS}`, "/replies", "/latestReplies", "/tickets", "/services"]) {
      const { res } = await getJson(gateway, path, { "cf-connecting-ip": "203.0.113.5" });
      expect(res.status).toBe(200);
    }
    expect((await reply("203.0.113.5")).res.status).toBe(201);
  });
});

describe("live-feed connections per client address", () => {
  it("past the limit: a 429 with Retry-After, before the feed opens a socket; other addresses still connect", async () => {
    const { gateway } = tightGateway();
    const connect = (address: string) => gateway.fetch("http://gateway.test/replies/live", { headers: { ...WEBSOCKET_HANDSHAKE, "cf-connecting-ip": address } });
    const opened: WebSocket[] = [];
    try {
      for (let n = 0; n < 2; n++) {
        const res = await connect("198.51.100.1");
        expect(res.status).toBe(101);
        opened.push(res.webSocket!);
        res.webSocket!.accept();
      }
      const refused = await connect("198.51.100.1");
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as ErrorBody).error).toEqual({
        code: "rate_limited",
        message: "too many live-feed connections from this address: retry after 60 s",
      });
      expect(refused.headers.get("retry-after")).toBe(String(LIVE_LIMIT.periodSeconds));
      const other = await connect("198.51.100.2");
      expect(other.status).toBe(101);
      opened.push(other.webSocket!);
      other.webSocket!.accept();
    } finally {
      for (const ws of opened) ws.close(1000, "test done");
    }
  });

  it("a refused handshake is not counted", async () => {
    const { gateway } = tightGateway();
    const headers = { "cf-connecting-ip": "198.51.100.3" };
    for (let n = 0; n < 3; n++) expect((await gateway.fetch("http://gateway.test/replies/live", { headers })).status).toBe(426);
    const res = await gateway.fetch("http://gateway.test/replies/live", { headers: { ...WEBSOCKET_HANDSHAKE, ...headers } });
    expect(res.status).toBe(101);
    res.webSocket!.accept();
    res.webSocket!.close(1000, "test done");
  });
});

describe("searches per client address", () => {
  it("past the limit: a 429 with Retry-After, for a search and a status alike; other reads stay open", async () => {
    const { gateway } = tightGateway();
    const address = { "cf-connecting-ip": "192.0.2.77" };
    expect((await getJson(gateway, "/search?q=authentication", address)).res.status).toBe(200);
    expect((await getJson(gateway, "/search/status", address)).res.status).toBe(200);
    const { res, body } = await getJson<ErrorBody>(gateway, "/search?q=authentication", address);
    expect(res.status).toBe(429);
    expect(body.error).toEqual({ code: "rate_limited", message: "too many searches from this address: retry after 60 s" });
    expect(res.headers.get("retry-after")).toBe(String(SEARCH_LIMIT.periodSeconds));
    expect((await getJson(gateway, "/tickets", address)).res.status).toBe(200);
  });
});

describe("the configured limits", () => {
  it("Retry-After is each binding's period, at the top level and in every environment", () => {
    for (const [where, limits] of Object.entries(env.TEST_GATEWAY_RATELIMITS)) {
      const periodOf = (name: string) => limits.find((limit) => limit.name === name)?.simple.period;
      expect({ where, write: periodOf("WRITE_RATE_LIMITER"), live: periodOf("LIVE_RATE_LIMITER"), search: periodOf("SEARCH_RATE_LIMITER") }).toEqual({
        where,
        write: WRITE_LIMIT.periodSeconds,
        live: LIVE_LIMIT.periodSeconds,
        search: SEARCH_LIMIT.periodSeconds,
      });
    }
    expect(Object.keys(env.TEST_GATEWAY_RATELIMITS)).toEqual(["top level", "staging", "production"]);
  });
});

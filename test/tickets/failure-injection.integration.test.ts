import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createTicketsApp } from "../../workers/tickets/src/app.ts";
import { parseFailureRate } from "../../workers/tickets/src/failure-injection/index.ts";
import { appTarget } from "../support/app-target.ts";
import { getJson, postJson, type ErrorBody, type FetchTarget } from "../support/http.ts";

const SOCIAL_AUTH = "55e633b9fa7864d21a226052";

/** The tickets app as a fetch target, with its own env and random source. */
const appWith = (overrides: Partial<Env>, random: () => number): FetchTarget =>
  appTarget(createTicketsApp({ random }), { ...env, ...overrides });

describe("tickets 1.0.1 at FAILURE_RATE 1", () => {
  const failing = env.TICKETS_V1_0_1_FAILING;

  it.each(["/tickets", `/tickets/${SOCIAL_AUTH}`])("answers GET %s with a 503", async (path) => {
    const { res, body } = await getJson<ErrorBody>(failing, path);
    expect(res.status).toBe(503);
    expect(body.error).toEqual({ code: "injected_failure", message: "tickets 1.0.1 failed on purpose (FAILURE_RATE=1)" });
  });

  it("still serves writes, health and GET /replies", async () => {
    expect((await postJson(failing, `/tickets/${SOCIAL_AUTH}/replies`, { user: "U", message: "m" })).res.status).toBe(201);
    expect((await getJson(failing, "/health")).res.status).toBe(200);
    expect((await getJson(failing, "/replies")).res.status).toBe(200);
  });
});

describe("tickets 1.0.1 at FAILURE_RATE 0", () => {
  it("answers every ticket query", async () => {
    for (let n = 0; n < 20; n++) {
      expect((await getJson(env.TICKETS_V1_0_1, "/tickets")).res.status).toBe(200);
    }
  });
});

describe("the injected random source decides", () => {
  it("fails exactly when random() < FAILURE_RATE", async () => {
    const draws = [0.1, 0.49, 0.5, 0.9];
    const app = appWith({ FAILURE_RATE: "0.5" }, () => draws.shift()!);
    const statuses = [];
    for (let n = 0; n < 4; n++) statuses.push((await app.fetch("http://t/tickets")).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
  });

  it("a misconfigured FAILURE_RATE is a logged 500, not a silent 0", async () => {
    const app = appWith({ FAILURE_RATE: "lots" }, () => 0.5);
    const res = await app.fetch("http://t/tickets");
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: "internal_error", message: "internal error" } });
  });
});

describe("parseFailureRate", () => {
  it.each([
    [undefined, 0],
    ["", 0],
    ["0", 0],
    ["0.25", 0.25],
    ["1", 1],
  ])("reads %j as %d", (raw, rate) => expect(parseFailureRate(raw)).toBe(rate));

  it.each(["-0.1", "1.5", "half", "NaN"])("refuses %j", (raw) => expect(() => parseFailureRate(raw)).toThrow(/FAILURE_RATE/));
});

describe("internal errors", () => {
  it("are answered with a generic 500 that leaks nothing", async () => {
    const brokenDb = {
      prepare() {
        throw new Error("D1_ERROR: secret table detail");
      },
    } as unknown as D1Database;
    const res = await appWith({ DB: brokenDb }, () => 1).fetch("http://t/tickets");
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: "internal_error", message: "internal error" } });
    expect(text).not.toContain("secret");
  });
});

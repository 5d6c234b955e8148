import { describe, expect, it } from "vitest";
import {
  MAX_ATTEMPTS_CAP,
  isNoMatchingVersionError,
  isNoServiceAvailableError,
  type NoServiceAvailableError,
  isUnknownServiceError,
  servedByHeaders,
  toErrorResponse,
} from "#shared/dispatch/index.ts";
import { answering, fakeService, getRequest, throwing, type FakeService } from "./fakes.ts";
import { noServiceError, setupTickets } from "./setup.ts";

type FakeServiceMap = Record<string, FakeService>;

describe("dispatch: choosing and falling back", () => {
  it("calls the newest compatible version first and stops when it answers", async () => {
    const v100 = fakeService(answering(200));
    const v101 = fakeService(answering(200));
    const v200 = fakeService(answering(200));
    const { dispatcher } = setupTickets({ "1.0.0": v100, "1.0.1": v101, "2.0.0": v200 });

    const result = await dispatcher.dispatch("tickets", "^1.0.0", getRequest());

    expect([v101.calls, v100.calls, v200.calls]).toEqual([1, 0, 0]);
    expect(result).toMatchObject({ service: "tickets", version: "1.0.1" });
    expect(result.fallbackFrom).toBeUndefined();
    expect(servedByHeaders(result)).toEqual({ "x-served-by": "tickets@1.0.1" });
    expect(await result.response.json()).toEqual({ status: 200 });
  });

  it("falls back to the next version on a 5xx and says where it fell back from", async () => {
    const v100 = fakeService(answering(200));
    const v101 = fakeService(answering(503));
    const { dispatcher } = setupTickets({ "1.0.0": v100, "1.0.1": v101 });

    const result = await dispatcher.dispatch("tickets", "^1.0.0", getRequest());

    expect(result.version).toBe("1.0.0");
    expect(result.fallbackFrom).toBe("1.0.1");
    expect(result.attempts.map(({ version, outcome, status, reason }) => ({ version, outcome, status, reason }))).toEqual([
      { version: "1.0.1", outcome: "failed", status: 503, reason: "HTTP 503" },
      { version: "1.0.0", outcome: "success", status: 200, reason: undefined },
    ]);
    expect(servedByHeaders(result)).toEqual({ "x-served-by": "tickets@1.0.0", "x-fallback-from": "tickets@1.0.1" });
  });

  it("returns a 5xx the caller accepts as an answer (a capacity refusal): no fallback, and no failure for the breaker", async () => {
    const full = () => Response.json({ error: "full" }, { status: 503, headers: { "retry-after": "30" } });
    const v100 = fakeService(answering(200));
    const v101 = fakeService(full);
    const { dispatcher, breakers } = setupTickets({ "1.0.0": v100, "1.0.1": v101 });
    const isAnswer = (response: Response) => response.status === 503 && response.headers.has("retry-after");

    for (let n = 0; n < 4; n++) {
      const result = await dispatcher.dispatch("tickets", "^1.0.0", getRequest(), { isAnswer });
      expect([result.version, result.response.status, result.response.headers.get("retry-after")]).toEqual(["1.0.1", 503, "30"]);
    }
    expect(v100.calls).toBe(0);
    expect(breakers.status("tickets", "1.0.1")).toMatchObject({ state: "closed", counts: { failures: 0, successes: 4 } });
    // Without it, the same answer is a failure, as before.
    expect((await dispatcher.dispatch("tickets", "^1.0.0", getRequest())).version).toBe("1.0.0");
  });

  it("falls back when the call throws (a network error), keeping the message for the log only", async () => {
    const { dispatcher } = setupTickets({ "1.0.0": fakeService(answering(200)), "1.0.1": fakeService(throwing("boom")) });
    const result = await dispatcher.dispatch("tickets", "^1.0.0", getRequest());
    expect(result.version).toBe("1.0.0");
    expect(result.attempts[0]).toMatchObject({ version: "1.0.1", outcome: "failed", reason: "call threw", detail: "boom" });
  });

  it("never shows a thrown message to clients in the 503", async () => {
    const { dispatcher } = setupTickets({ "1.0.0": fakeService(throwing("D1_ERROR: secret_col")), "1.0.1": fakeService(throwing("secret")) });
    const error = await dispatcher.dispatch("tickets", "^1.0.0", getRequest()).catch((err: unknown) => err);
    expect(isNoServiceAvailableError(error)).toBe(true);
    const { body } = toErrorResponse(error as NoServiceAvailableError);
    expect(JSON.stringify(body)).not.toContain("secret");
    expect(body.error.details.attempts.map((a) => a.reason)).toEqual(["call threw", "call threw"]);
  });

  it("drops a body sent with a GET instead of failing (and blaming) every version", async () => {
    const v101 = fakeService(answering(200));
    const { dispatcher, breakers } = setupTickets({ "1.0.0": fakeService(answering(200)), "1.0.1": v101 });
    // workerd hands a Worker such requests (curl -X GET -d ...), but a test cannot build one.
    const getWithBody = {
      url: "https://gateway.test/tickets",
      method: "GET",
      headers: new Headers(),
      body: new Blob(["{}"]).stream(),
      arrayBuffer: async () => new TextEncoder().encode("{}").buffer,
    } as unknown as Request;
    const result = await dispatcher.dispatch("tickets", "^1.0.0", getWithBody);
    expect(result.version).toBe("1.0.1");
    expect(breakers.status("tickets", "1.0.1").counts.failures).toBe(0);
  });

  it("returns a 4xx as the service's answer: no fallback, and no failure on the breaker", async () => {
    const v100 = fakeService(answering(200));
    const v101 = fakeService(answering(404));
    const { dispatcher, breakers } = setupTickets({ "1.0.0": v100, "1.0.1": v101 });

    const result = await dispatcher.dispatch("tickets", "^1.0.0", getRequest());

    expect(result.response.status).toBe(404);
    expect(result.version).toBe("1.0.1");
    expect(v100.calls).toBe(0);
    expect(breakers.status("tickets", "1.0.1").counts).toMatchObject({ successes: 1, failures: 0 });
  });

  it("throws NoServiceAvailableError with every attempt when all versions fail", async () => {
    const { dispatcher } = setupTickets({ "1.0.0": fakeService(throwing("down")), "1.0.1": fakeService(answering(500)) });

    const error = await noServiceError(dispatcher.dispatch("tickets", "^1.0.0", getRequest()));

    expect(error).toMatchObject({ service: "tickets", range: "^1.0.0", stopReason: "exhausted", retryAfterSeconds: 1 });
    expect(error.attempts.map((a) => [a.version, a.outcome, a.reason])).toEqual([
      ["1.0.1", "failed", "HTTP 500"],
      ["1.0.0", "failed", "call threw"],
    ]);
    const { status, headers, body } = toErrorResponse(error);
    expect(status).toBe(503);
    expect(headers).toEqual({ "retry-after": "1" });
    expect(body.error).toMatchObject({ code: "no_service_available", details: { attempts: error.attempts.map(({ detail: _logOnly, ...shown }) => shown) } });
    expect(JSON.stringify(body)).not.toContain("down");
    expect(body.error.message).toContain("1.0.1 failed (HTTP 500)");
  });

  it("rejects an unknown service or unmatched range with typed errors, calling nothing", async () => {
    const v100 = fakeService(answering(200));
    const { dispatcher } = setupTickets({ "1.0.0": v100 });
    expect(isUnknownServiceError(await dispatcher.dispatch("nope" as "tickets", "*", getRequest()).catch((e) => e))).toBe(true);
    expect(isNoMatchingVersionError(await dispatcher.dispatch("tickets", "^2", getRequest()).catch((e) => e))).toBe(true);
    expect(v100.calls).toBe(0);
  });
});

describe("dispatch: attempt cap", () => {
  const failingVersions = (count: number): FakeServiceMap =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`1.${i}.0`, fakeService(answering(500))]));
  const totalCalls = (services: FakeServiceMap) => Object.values(services).reduce((sum, s) => sum + s.calls, 0);

  it("never makes more than maxAttempts calls, newest first", async () => {
    const services = failingVersions(5);
    const { dispatcher } = setupTickets(services, { maxAttempts: 2 });
    const error = await noServiceError(dispatcher.dispatch("tickets", "^1.0.0", getRequest()));
    expect(error.stopReason).toBe("max_attempts");
    expect(error.attempts.map((a) => a.version)).toEqual(["1.4.0", "1.3.0"]);
    expect(totalCalls(services)).toBe(2);
  });

  it("caps a larger maxAttempts at the platform's invocation limit", async () => {
    const services = failingVersions(MAX_ATTEMPTS_CAP + 9);
    const { dispatcher } = setupTickets(services, { maxAttempts: 1_000 });
    const error = await noServiceError(dispatcher.dispatch("tickets", "^1.0.0", getRequest()));
    expect(totalCalls(services)).toBe(MAX_ATTEMPTS_CAP);
    expect(error.stopReason).toBe("max_attempts");
  });

  it("rejects a nonsensical maxAttempts or timeout at construction", () => {
    for (const bad of [{ maxAttempts: 0 }, { maxAttempts: 1.5 }, { attemptTimeoutMs: 0 }, { deadlineMs: Number.NaN }]) {
      expect(() => setupTickets({ "1.0.0": fakeService(answering(200)) }, bad)).toThrow(RangeError);
    }
  });

  it("stops at the single version there is, whatever maxAttempts says", async () => {
    const only: FakeService = fakeService(answering(502));
    const { dispatcher } = setupTickets({ "1.0.0": only }, { maxAttempts: 10 });
    const error = await noServiceError(dispatcher.dispatch("tickets", "*", getRequest()));
    expect(only.calls).toBe(1);
    expect(error.stopReason).toBe("exhausted");
  });
});

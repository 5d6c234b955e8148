import { describe, expect, it } from "vitest";
import { answering, fakeService, getRequest, hangingForever, hangingUntilAborted, type Answer } from "./fakes.ts";
import { noServiceError, setupTickets } from "./setup.ts";

/** Real-clock bounds are generous on purpose: they catch "waited for the 10 s default", not jitter. */
const GENEROUS_MS = 1_000;

describe("per-attempt timeout", () => {
  it("times out a hanging version, aborts the signal it was given, and falls back", async () => {
    const hung = fakeService(hangingUntilAborted);
    const { dispatcher } = setupTickets(
      { "1.0.0": fakeService(answering(200)), "1.0.1": hung },
      { now: Date.now, attemptTimeoutMs: 30 },
    );
    const started = Date.now();

    const result = await dispatcher.dispatch("tickets", "^1.0.0", getRequest());

    expect(Date.now() - started).toBeLessThan(GENEROUS_MS);
    expect(result.version).toBe("1.0.0");
    expect(result.attempts[0]).toMatchObject({ version: "1.0.1", outcome: "timeout", reason: "no answer within 30 ms" });
    expect(hung.received[0]?.signal.aborted).toBe(true);
  });

  it("times out a version that ignores its abort signal (the race bounds the wait)", async () => {
    const { dispatcher } = setupTickets(
      { "1.0.0": fakeService(answering(200)), "1.0.1": fakeService(hangingForever) },
      { now: Date.now, attemptTimeoutMs: 30 },
    );
    const started = Date.now();
    const result = await dispatcher.dispatch("tickets", "^1.0.0", getRequest());
    expect(Date.now() - started).toBeLessThan(GENEROUS_MS);
    expect(result.attempts.map((a) => a.outcome)).toEqual(["timeout", "success"]);
  });

  it("fails an attempt whose caller throws before returning a promise, and falls back", async () => {
    const throwsAtOnce = {
      fetch(): Promise<Response> {
        throw new Error("binding gone");
      },
    };
    const { dispatcher } = setupTickets(
      { "1.0.0": fakeService(answering(200)), "1.0.1": throwsAtOnce },
      { now: Date.now, attemptTimeoutMs: 30 },
    );
    const result = await dispatcher.dispatch("tickets", "^1.0.0", getRequest());
    expect(result.attempts.map((a) => [a.outcome, a.detail])).toEqual([["failed", "binding gone"], ["success", undefined]]);
  });

  it("counts a timeout as a breaker failure", async () => {
    const { dispatcher, breakers } = setupTickets({ "1.0.0": fakeService(hangingForever) }, { attemptTimeoutMs: 20 });
    await noServiceError(dispatcher.dispatch("tickets", "*", getRequest()));
    expect(breakers.status("tickets", "1.0.0").counts.failures).toBe(1);
  });
});

describe("overall deadline", () => {
  it("starts no attempt once less than minAttemptMs is left (fake clock)", async () => {
    const versions = ["1.0.0", "1.0.1", "1.0.2", "1.0.3", "1.0.4"];
    let advance: (ms: number) => void = () => undefined;
    // Each version takes 2 s of (fake) time, then fails.
    const slowFailure: Answer = () => {
      advance(2_000);
      return answering(500)();
    };
    const services = Object.fromEntries(versions.map((v) => [v, fakeService(slowFailure)]));
    const setup = setupTickets(services, { deadlineMs: 5_000, minAttemptMs: 100, maxAttempts: 5 });
    advance = setup.clock.advance;

    const error = await noServiceError(setup.dispatcher.dispatch("tickets", "^1.0.0", getRequest()));

    // Attempts start at t=0, 2000 and 4000 (1000 ms left); at t=6000 nothing is left.
    expect(error.stopReason).toBe("deadline");
    expect(error.attempts.map((a) => a.version)).toEqual(["1.0.4", "1.0.3", "1.0.2"]);
    expect(services["1.0.1"]?.calls).toBe(0);
  });

  it("shortens the last attempt to the time left, bounding the whole call (real clock)", async () => {
    const second = fakeService(answering(200));
    const { dispatcher } = setupTickets(
      { "1.0.0": second, "1.0.1": fakeService(hangingForever) },
      { now: Date.now, attemptTimeoutMs: 10_000, deadlineMs: 50, minAttemptMs: 10 },
    );
    const started = Date.now();

    const error = await noServiceError(dispatcher.dispatch("tickets", "^1.0.0", getRequest()));

    expect(Date.now() - started).toBeLessThan(GENEROUS_MS);
    expect(error.stopReason).toBe("deadline");
    expect(error.attempts).toHaveLength(1);
    expect(error.attempts[0]?.outcome).toBe("timeout");
    expect(second.calls).toBe(0);
  });

  it("accepts a per-call deadline that overrides the dispatcher's", async () => {
    const { dispatcher } = setupTickets({ "1.0.0": fakeService(hangingForever) }, { now: Date.now, deadlineMs: 60_000 });
    const started = Date.now();
    const error = await noServiceError(dispatcher.dispatch("tickets", "*", getRequest(), { deadlineMs: 40 }));
    expect(Date.now() - started).toBeLessThan(GENEROUS_MS);
    expect(error.attempts[0]?.outcome).toBe("timeout");
  });
});

describe("caller's abort signal", () => {
  it("stops at once with the signal's reason, without blaming the version", async () => {
    const hung = fakeService(hangingUntilAborted);
    const older = fakeService(answering(200));
    const { dispatcher, breakers } = setupTickets({ "1.0.0": older, "1.0.1": hung });
    const controller = new AbortController();
    const reason = new Error("client went away");

    const pending = dispatcher.dispatch("tickets", "^1.0.0", getRequest(), { signal: controller.signal });
    while (hung.calls === 0) await new Promise((r) => setTimeout(r, 1));
    controller.abort(reason);

    await expect(pending).rejects.toBe(reason);
    expect(older.calls).toBe(0);
    expect(hung.received[0]?.signal.aborted).toBe(true);
    expect(breakers.status("tickets", "1.0.1").counts).toMatchObject({ calls: 1, failures: 0, successes: 0 });
  });

  it("calls nothing when the signal is already aborted", async () => {
    const service = fakeService(answering(200));
    const { dispatcher } = setupTickets({ "1.0.0": service });
    const signal = AbortSignal.abort(new Error("already gone"));
    await expect(dispatcher.dispatch("tickets", "*", getRequest(), { signal })).rejects.toThrow("already gone");
    expect(service.calls).toBe(0);
  });
});

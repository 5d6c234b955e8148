import { afterEach, describe, expect, it, vi } from "vitest";
import { createDispatcher, createRegistry, type AttemptEvent } from "#shared/dispatch/index.ts";
import { answering, fakeClock, fakeService, getRequest, type Answer } from "./fakes.ts";
import { noServiceError, setupTickets } from "./setup.ts";

/** A fake that moves the fake clock by `ms` before answering, so durations are known exactly. */
const taking = (advance: (ms: number) => void, ms: number, answer: Answer): Answer => (request) => {
  advance(ms);
  return answer(request);
};

describe("dispatch observability", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("writes one structured log line per attempt, with request id, outcome, status, reason and duration", async () => {
    const clock = fakeClock();
    const { dispatcher, logger } = setupTickets(
      {
        "1.0.0": fakeService(taking(clock.advance, 7, answering(201))),
        "1.0.1": fakeService(taking(clock.advance, 30, answering(500))),
      },
      { now: clock.now },
    );

    await dispatcher.dispatch("tickets", "^1.0.0", getRequest("/tickets", "req-42"));

    expect(logger.lines).toEqual([
      {
        event: "dispatch.attempt",
        service: "tickets",
        range: "^1.0.0",
        version: "1.0.1",
        outcome: "failed",
        durationMs: 30,
        status: 500,
        reason: "HTTP 500",
        requestId: "req-42",
      },
      {
        event: "dispatch.attempt",
        service: "tickets",
        range: "^1.0.0",
        version: "1.0.0",
        outcome: "success",
        durationMs: 7,
        status: 201,
        requestId: "req-42",
      },
    ]);
  });

  it("logs to console.log as one JSON object per line by default", async () => {
    const spy = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const registry = createRegistry({ "reply-feed": { "1.0.0": fakeService(answering(200)) } });
    await createDispatcher({ registry }).dispatch("reply-feed", "1.x", new Request("https://gateway.test/feed"));
    expect(spy).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(spy.mock.calls[0]?.[0]))).toMatchObject({
      event: "dispatch.attempt",
      service: "reply-feed",
      version: "1.0.0",
      outcome: "success",
      status: 200,
    });
  });

  it("fires onAttempt, onFallback and onSuccess with the right fields", async () => {
    const { dispatcher } = setupTickets({ "1.0.0": fakeService(answering(200)), "1.0.1": fakeService(answering(502)) });
    const seen: string[] = [];
    dispatcher.onAttempt((e) => seen.push(`attempt ${e.attempt.version} ${e.attempt.outcome} ${e.requestId}`));
    dispatcher.onFallback((e) => seen.push(`fallback ${e.from}->${e.to} (${e.reason})`));
    dispatcher.onSuccess((e) => seen.push(`success ${e.version} ${e.status} after ${e.attempts.length}`));
    dispatcher.onFailure(() => seen.push("failure"));

    await dispatcher.dispatch("tickets", "^1.0.0", getRequest("/t", "r-7"));

    expect(seen).toEqual([
      "attempt 1.0.1 failed r-7",
      "fallback 1.0.1->1.0.0 (HTTP 502)",
      "attempt 1.0.0 success r-7",
      "success 1.0.0 200 after 2",
    ]);
  });

  it("fires onFailure with the error that is thrown", async () => {
    const { dispatcher } = setupTickets({ "1.0.0": fakeService(answering(500)) });
    const failures: unknown[] = [];
    dispatcher.onFailure((e) => failures.push(e.error));
    const error = await noServiceError(dispatcher.dispatch("tickets", "*", getRequest()));
    expect(failures).toEqual([error]);
  });

  it("fires onBreakerStateChange when a version's breaker opens", async () => {
    const { dispatcher } = setupTickets({ "1.0.0": fakeService(answering(500)) });
    const changes: string[] = [];
    dispatcher.onBreakerStateChange((c) => changes.push(`${c.key} ${c.from}->${c.to}`));
    for (let i = 0; i < 3; i += 1) await noServiceError(dispatcher.dispatch("tickets", "*", getRequest()));
    expect(changes).toEqual(["tickets@1.0.0 closed->open"]);
  });

  it("stops notifying a disposed listener, and survives a listener that throws", async () => {
    const { dispatcher } = setupTickets({ "1.0.0": fakeService(answering(200)) });
    const errorSpy = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const events: AttemptEvent[] = [];
    const dispose = dispatcher.onAttempt((e) => events.push(e));
    dispatcher.onAttempt(() => {
      throw new Error("buggy listener");
    });

    await dispatcher.dispatch("tickets", "*", getRequest());
    dispose();
    const result = await dispatcher.dispatch("tickets", "*", getRequest());

    expect(events).toHaveLength(1);
    expect(result.response.status).toBe(200);
    expect(errorSpy).toHaveBeenCalledTimes(2);
  });
});

import { describe, expect, it } from "vitest";
import { createDispatcher, createRegistry } from "#shared/dispatch/index.ts";
import { answering, deferred, fakeClock, fakeService, getRequest } from "./fakes.ts";
import { COOLDOWN_MS, noServiceError, setupTickets } from "./setup.ts";

/** 1.0.1 fails with 500 until `healthy` is set; 1.0.0 always answers. */
function flakyNewest() {
  const state = { healthy: false };
  const v101 = fakeService(() => answering(state.healthy ? 200 : 500)());
  const v100 = fakeService(answering(200));
  return { state, v101, v100, ...setupTickets({ "1.0.0": v100, "1.0.1": v101 }) };
}

describe("dispatch with circuit breakers", () => {
  it("stops calling a version after 3 consecutive failures and reports it as skipped", async () => {
    const { dispatcher, v101, v100 } = flakyNewest();
    for (let i = 0; i < 3; i += 1) await dispatcher.dispatch("tickets", "^1.0.0", getRequest());
    expect(v101.calls).toBe(3);

    const result = await dispatcher.dispatch("tickets", "^1.0.0", getRequest());

    expect(v101.calls).toBe(3);
    expect(v100.calls).toBe(4);
    expect(result.attempts[0]).toEqual({ version: "1.0.1", outcome: "skipped", reason: "circuit open", durationMs: 0 });
    expect(result.fallbackFrom).toBe("1.0.1");
    expect(dispatcher.services()).toEqual([
      {
        name: "tickets",
        versions: [
          { version: "1.0.1", state: "open", counts: { calls: 3, successes: 0, failures: 3, skips: 1 } },
          { version: "1.0.0", state: "closed", counts: { calls: 4, successes: 4, failures: 0, skips: 0 } },
        ],
      },
    ]);
  });

  it("after the cooldown lets one trial through; its success closes the breaker", async () => {
    const { dispatcher, v101, clock, state } = flakyNewest();
    for (let i = 0; i < 3; i += 1) await dispatcher.dispatch("tickets", "^1.0.0", getRequest());
    clock.advance(COOLDOWN_MS);
    state.healthy = true;

    const trial = await dispatcher.dispatch("tickets", "^1.0.0", getRequest());
    const after = await dispatcher.dispatch("tickets", "^1.0.0", getRequest());

    expect(trial.version).toBe("1.0.1");
    expect(after.version).toBe("1.0.1");
    expect(v101.calls).toBe(5);
    expect(dispatcher.breakers.status("tickets", "1.0.1").state).toBe("closed");
  });

  it("a failed trial reopens the breaker for another full cooldown", async () => {
    const { dispatcher, v101, clock } = flakyNewest();
    for (let i = 0; i < 3; i += 1) await dispatcher.dispatch("tickets", "^1.0.0", getRequest());
    clock.advance(COOLDOWN_MS);

    await dispatcher.dispatch("tickets", "^1.0.0", getRequest()); // the trial, fails
    clock.advance(COOLDOWN_MS - 1);
    await dispatcher.dispatch("tickets", "^1.0.0", getRequest());

    expect(v101.calls).toBe(4);
    expect(dispatcher.breakers.status("tickets", "1.0.1").state).toBe("open");
  });

  it("half-open: a concurrent caller skips the version while the one trial is in flight", async () => {
    const gate = deferred<Response>();
    let holdNext = false;
    const v101 = fakeService(() => (holdNext ? gate.promise : answering(500)()));
    const v100 = fakeService(answering(200));
    const { dispatcher, clock } = setupTickets({ "1.0.0": v100, "1.0.1": v101 });
    for (let i = 0; i < 3; i += 1) await dispatcher.dispatch("tickets", "^1.0.0", getRequest());
    clock.advance(COOLDOWN_MS);
    holdNext = true;

    const trial = dispatcher.dispatch("tickets", "^1.0.0", getRequest());
    // Wait until the trial call has reached 1.0.1 and is being held there.
    while (v101.calls < 4) await new Promise((r) => setTimeout(r, 1));
    const concurrent = await dispatcher.dispatch("tickets", "^1.0.0", getRequest());
    gate.resolve(new Response("ok"));

    expect(concurrent.version).toBe("1.0.0");
    expect(concurrent.attempts[0]).toMatchObject({ version: "1.0.1", outcome: "skipped", reason: "half-open trial in flight" });
    expect((await trial).version).toBe("1.0.1");
    expect(v101.calls).toBe(4);
    expect(dispatcher.breakers.status("tickets", "1.0.1").state).toBe("closed");
  });

  it("when every version's breaker is open, calls nothing and says when to retry", async () => {
    const v100 = fakeService(answering(500));
    const v101 = fakeService(answering(500));
    const { dispatcher, clock } = setupTickets({ "1.0.0": v100, "1.0.1": v101 });
    for (let i = 0; i < 3; i += 1) await noServiceError(dispatcher.dispatch("tickets", "^1.0.0", getRequest()));
    clock.advance(2_500);

    const error = await noServiceError(dispatcher.dispatch("tickets", "^1.0.0", getRequest()));

    expect(v100.calls + v101.calls).toBe(6);
    expect(error.attempts.map((a) => [a.version, a.outcome, a.reason])).toEqual([
      ["1.0.1", "skipped", "circuit open"],
      ["1.0.0", "skipped", "circuit open"],
    ]);
    expect(error.retryAfterSeconds).toBe(Math.ceil((COOLDOWN_MS - 2_500) / 1000));
    expect(error.stopReason).toBe("exhausted");
  });

  it("shares breakers between dispatchers built on the same BreakerRegistry (one per isolate)", async () => {
    const { dispatcher, breakers, v101 } = flakyNewest();
    for (let i = 0; i < 3; i += 1) await dispatcher.dispatch("tickets", "^1.0.0", getRequest());
    const other = setupTickets({ "1.0.0": fakeService(answering(200)), "1.0.1": v101 }, { breakers });

    const result = await other.dispatcher.dispatch("tickets", "^1.0.0", getRequest());

    expect(result.attempts[0]?.outcome).toBe("skipped");
    expect(v101.calls).toBe(3);
  });

  it("its own breakers (none given) run on its clock and free a lost trial after its attempt timeout", () => {
    const clock = fakeClock();
    const dispatcher = createDispatcher({
      registry: createRegistry({ tickets: { "1.0.0": fakeService(answering(200)) } }),
      attemptTimeoutMs: 500,
      now: clock.now,
    });
    const breaker = dispatcher.breakers.get("tickets", "1.0.0");
    for (let i = 0; i < 3; i += 1) {
      breaker.tryAcquire();
      breaker.recordFailure();
    }
    clock.advance(10_000);
    expect(breaker.tryAcquire()).toEqual({ allowed: true, trial: true });
    clock.advance(400);
    expect(breaker.tryAcquire().allowed).toBe(false);
    clock.advance(200);
    expect(breaker.tryAcquire()).toEqual({ allowed: true, trial: true });
  });
});

import { describe, expect, it } from "vitest";
import { Breaker, type BreakerOptions } from "#shared/dispatch/index.ts";
import { fakeClock } from "./fakes.ts";

const COOLDOWN = 10_000;
const TRIAL_TIMEOUT = 2_000;

function setup(options: BreakerOptions = {}) {
  const clock = fakeClock();
  const changes: string[] = [];
  const breaker = new Breaker({
    failureThreshold: 3,
    cooldownMs: COOLDOWN,
    trialTimeoutMs: TRIAL_TIMEOUT,
    now: clock.now,
    onStateChange: ({ from, to }) => changes.push(`${from}->${to}`),
    ...options,
  });
  const fail = (times: number) => {
    for (let i = 0; i < times; i += 1) {
      expect(breaker.tryAcquire().allowed).toBe(true);
      breaker.recordFailure();
    }
  };
  return { clock, breaker, changes, fail };
}

describe("Breaker", () => {
  it("stays closed below the threshold, and a success resets the consecutive count", () => {
    const { breaker, fail } = setup();
    fail(2);
    breaker.recordSuccess();
    fail(2);
    expect(breaker.state).toBe("closed");
    expect(breaker.tryAcquire()).toEqual({ allowed: true, trial: false });
  });

  it("opens after N consecutive failures and refuses calls until the cooldown ends", () => {
    const { breaker, clock, changes, fail } = setup();
    fail(3);
    expect(breaker.state).toBe("open");
    expect(changes).toEqual(["closed->open"]);
    clock.advance(COOLDOWN - 1);
    expect(breaker.tryAcquire()).toEqual({ allowed: false, reason: "circuit open", retryAt: clock.now() + 1 });
    expect(breaker.retryAt()).toBe(clock.now() + 1);
  });

  it("half-opens after the cooldown and lets exactly one trial through", () => {
    const { breaker, clock, changes, fail } = setup();
    fail(3);
    clock.advance(COOLDOWN);
    expect(breaker.state).toBe("half_open");
    expect(breaker.tryAcquire()).toEqual({ allowed: true, trial: true });
    // Concurrent callers while the trial is out are refused.
    expect(breaker.tryAcquire()).toMatchObject({ allowed: false, reason: "half-open trial in flight" });
    expect(breaker.tryAcquire().allowed).toBe(false);
    expect(changes).toEqual(["closed->open", "open->half_open"]);
  });

  it("closes when the trial succeeds", () => {
    const { breaker, clock, changes, fail } = setup();
    fail(3);
    clock.advance(COOLDOWN);
    breaker.tryAcquire();
    breaker.recordSuccess();
    expect(breaker.state).toBe("closed");
    expect(breaker.tryAcquire()).toEqual({ allowed: true, trial: false });
    expect(changes).toEqual(["closed->open", "open->half_open", "half_open->closed"]);
  });

  it("reopens for a full cooldown when the trial fails", () => {
    const { breaker, clock, changes, fail } = setup();
    fail(3);
    clock.advance(COOLDOWN);
    breaker.tryAcquire();
    clock.advance(500);
    breaker.recordFailure();
    expect(breaker.state).toBe("open");
    expect(breaker.retryAt()).toBe(clock.now() + COOLDOWN);
    expect(changes).toEqual(["closed->open", "open->half_open", "half_open->open"]);
  });

  it("frees the trial slot when a trial never reports back within the trial timeout", () => {
    const { breaker, clock, fail } = setup();
    fail(3);
    clock.advance(COOLDOWN);
    expect(breaker.tryAcquire().allowed).toBe(true);
    clock.advance(TRIAL_TIMEOUT - 1);
    expect(breaker.tryAcquire().allowed).toBe(false);
    clock.advance(1);
    expect(breaker.tryAcquire()).toEqual({ allowed: true, trial: true });
  });

  it("frees the trial slot at once on releaseTrial (the caller gave up)", () => {
    const { breaker, clock, fail } = setup();
    fail(3);
    clock.advance(COOLDOWN);
    breaker.tryAcquire();
    breaker.releaseTrial();
    expect(breaker.tryAcquire()).toEqual({ allowed: true, trial: true });
  });

  it("ignores a late success from a call admitted before it opened", () => {
    const { breaker, fail } = setup();
    expect(breaker.tryAcquire().allowed).toBe(true); // slow call, still out
    fail(3);
    breaker.recordSuccess(); // the slow call finally answers
    expect(breaker.state).toBe("open");
  });

  it("counts calls, successes, failures and skips", () => {
    const { breaker, fail } = setup();
    breaker.tryAcquire();
    breaker.recordSuccess();
    fail(3);
    breaker.tryAcquire();
    breaker.tryAcquire();
    expect(breaker.counts).toEqual({ calls: 4, successes: 1, failures: 3, skips: 2 });
  });

  it("round-trips through toJSON: a restored breaker is still open, then half-opens on time", () => {
    const { breaker, clock, fail } = setup();
    fail(3);
    const snapshot = JSON.parse(JSON.stringify(breaker));
    clock.advance(COOLDOWN - 1);
    const restored = new Breaker({ cooldownMs: COOLDOWN, now: clock.now, initial: snapshot });
    expect(restored.state).toBe("open");
    expect(restored.counts).toEqual(breaker.counts);
    expect(restored.toJSON()).toEqual(breaker.toJSON());
    clock.advance(1);
    expect(restored.tryAcquire()).toEqual({ allowed: true, trial: true });
  });

  it.each([{ failureThreshold: 2.5 }, { failureThreshold: 0 }, { cooldownMs: -1 }, { trialTimeoutMs: Number.NaN }])(
    "refuses nonsense options %j at construction",
    (options) => {
      expect(() => new Breaker(options)).toThrow(RangeError);
    },
  );
});

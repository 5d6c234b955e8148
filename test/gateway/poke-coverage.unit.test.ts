import { describe, expect, it } from "vitest";
import { MAX_PROMISE_MS, POKE_TIMEOUT_MS, PokeCoverage, SAFETY_MARGIN_MS } from "../../workers/gateway/src/search-pump/poke-coverage.ts";
import { fakeClock } from "../dispatch/fakes.ts";

// Which writes need no poke: those whose answer arrived before a poke's step (its send time plus
// the step's delay less the margin), or before the poke was sent. On a clock that moves only when
// told, with pokes the test answers itself.

/** Pokes held until the test answers each one (with its stepInMs, or null: it failed). */
function heldPokes() {
  const answers: ((stepInMs: number | null) => void)[] = [];
  return {
    send: () => new Promise<number | null>((resolve) => answers.push(resolve)),
    sent: () => answers.length,
    answer: (n: number, stepInMs: number | null) => answers[n]?.(stepInMs),
  };
}

/** Lets every settled promise run its callbacks. */
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Timers the test fires itself: each `wait(ms)` is kept, with what ends it. */
function heldTimers() {
  const timers: { ms: number; fire: () => void }[] = [];
  return {
    wait: (ms: number) => new Promise<void>((resolve) => timers.push({ ms, fire: resolve })),
    timers,
  };
}

function setup() {
  const clock = fakeClock();
  const timers = heldTimers();
  return { clock, timers, coverage: new PokeCoverage(clock.now, timers.wait), pokes: heldPokes(), start: clock.now() };
}

describe("PokeCoverage", () => {
  it("the first write pokes; writes answered before its step, less the margin, send none; the first after it pokes again", async () => {
    const { clock, coverage, pokes, start } = setup();
    const first = coverage.afterWrite(pokes.send);
    // The answer takes 30 ms to come back: the promise still counts from the send.
    clock.advance(30);
    pokes.answer(0, 100);
    await first;
    expect(coverage.coveredUntil).toBe(start + 100 - SAFETY_MARGIN_MS);
    clock.advance(100 - SAFETY_MARGIN_MS - 30 - 1);
    await coverage.afterWrite(pokes.send);
    expect(pokes.sent()).toBe(1);
    clock.advance(1);
    void coverage.afterWrite(pokes.send);
    expect(pokes.sent()).toBe(2);
  });

  it("a write answered while a poke is in flight waits for its answer, and sends none when that covers it", async () => {
    const { clock, coverage, pokes } = setup();
    const first = coverage.afterWrite(pokes.send);
    clock.advance(5);
    let waited = false;
    const second = coverage.afterWrite(pokes.send).then(() => (waited = true));
    await flush();
    expect([pokes.sent(), waited]).toEqual([1, false]);
    pokes.answer(0, 100);
    await Promise.all([first, second]);
    expect([pokes.sent(), waited]).toEqual([1, true]);
  });

  it("writes an answered poke does not cover share one poke, sent after them, which covers them all", async () => {
    const { clock, coverage, pokes } = setup();
    const first = coverage.afterWrite(pokes.send);
    clock.advance(50);
    // Answered 50 ms after the poke was sent, which promises a step 20 ms after it: not covered.
    const waiting = [coverage.afterWrite(pokes.send), coverage.afterWrite(pokes.send), coverage.afterWrite(pokes.send)];
    clock.advance(5);
    pokes.answer(0, 20 + SAFETY_MARGIN_MS);
    await first;
    await flush();
    expect(pokes.sent()).toBe(2);
    pokes.answer(1, 100);
    await Promise.all(waiting);
    expect(pokes.sent()).toBe(2);
  });

  it("a step due at once covers the writes answered before the poke was sent, not one answered in the same millisecond", async () => {
    const { clock, coverage, pokes, start } = setup();
    clock.advance(10);
    const first = coverage.afterWrite(pokes.send);
    pokes.answer(0, 0);
    await first;
    expect(coverage.coveredUntil).toBe(start + 10);
    void coverage.afterWrite(pokes.send);
    expect(pokes.sent()).toBe(2);
  });

  it("a failed poke covers nothing: a write after it pokes again, and writes that waited on it send one poke", async () => {
    const { clock, coverage, pokes } = setup();
    const first = coverage.afterWrite(pokes.send);
    clock.advance(5);
    const waiting = [coverage.afterWrite(pokes.send), coverage.afterWrite(pokes.send)];
    // Its failure comes back 5 ms later: I/O moves the clock.
    clock.advance(5);
    pokes.answer(0, null);
    await first;
    await flush();
    expect(coverage.coveredUntil).toBe(Number.NEGATIVE_INFINITY);
    expect(pokes.sent()).toBe(2);
    pokes.answer(1, null);
    await Promise.all(waiting);
    clock.advance(1);
    void coverage.afterWrite(pokes.send);
    expect(pokes.sent()).toBe(3);
  });

  it("a step due at once covers up to the send, past an earlier cover; a promise past MAX_PROMISE_MS is capped", async () => {
    const { clock, coverage, pokes, start } = setup();
    const first = coverage.afterWrite(pokes.send);
    pokes.answer(0, 100);
    await first;
    clock.advance(100);
    const second = coverage.afterWrite(pokes.send);
    pokes.answer(1, 0);
    await second;
    expect(coverage.coveredUntil).toBe(start + 100);
    clock.advance(1);
    const third = coverage.afterWrite(pokes.send);
    pokes.answer(2, 3_600_000);
    await third;
    expect(coverage.coveredUntil).toBe(start + 101 + MAX_PROMISE_MS);
  });

  it("a poke that hangs counts as failed at its deadline; a write waiting on it stops waiting at that deadline, on a timer of its own, and pokes", async () => {
    const { clock, timers, coverage, pokes } = setup();
    let firstDone = false;
    const first = coverage.afterWrite(pokes.send).then(() => (firstDone = true));
    clock.advance(5);
    const second = coverage.afterWrite(pokes.send);
    await flush();
    // The first poke's deadline, and the second write's own wait for it: what is left of that deadline.
    expect(timers.timers.map(({ ms }) => ms)).toEqual([POKE_TIMEOUT_MS, POKE_TIMEOUT_MS - 5]);
    clock.advance(POKE_TIMEOUT_MS - 5);
    timers.timers[1]?.fire();
    await flush();
    expect(pokes.sent()).toBe(2);
    pokes.answer(1, 100);
    await second;
    expect(firstDone).toBe(false);
    timers.timers[0]?.fire();
    await first;
    // The hung poke covered nothing; the one that answered did.
    expect(coverage.coveredUntil).toBe(clock.now() + 100 - SAFETY_MARGIN_MS);
  });

  it("a send that rejects counts as failed: the write is done with, and the next write pokes again", async () => {
    const { clock, coverage } = setup();
    let calls = 0;
    const rejecting = () => {
      calls++;
      return Promise.reject(new Error("should not happen, but did"));
    };
    await coverage.afterWrite(rejecting);
    clock.advance(1);
    await coverage.afterWrite(rejecting);
    expect(calls).toBe(2);
    expect(coverage.coveredUntil).toBe(Number.NEGATIVE_INFINITY);
  });
});

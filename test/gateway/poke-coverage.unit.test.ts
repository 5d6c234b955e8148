import { describe, expect, it } from "vitest";
import { PokeCoverage, SAFETY_MARGIN_MS } from "../../workers/gateway/src/search-pump/poke-coverage.ts";
import { fakeClock } from "../dispatch/fakes.ts";

// Which writes need no poke: those whose answer arrives before an answered poke's step, counted
// from the time the poke was sent, less the margin. On a clock that moves only when told.

function setup() {
  const clock = fakeClock();
  return { clock, coverage: new PokeCoverage(clock.now), start: clock.now() };
}

describe("PokeCoverage", () => {
  it("covers nothing before a poke has answered", () => {
    const { coverage } = setup();
    expect(coverage.covers()).toBe(false);
    expect(coverage.coveredUntil).toBe(Number.NEGATIVE_INFINITY);
  });

  it("covers a write whose answer arrives before the promised step, less the margin, counted from the send; not one after", () => {
    const { clock, coverage, start } = setup();
    const answered = coverage.sending();
    // The answer takes 30 ms to come back: the promise still counts from the send.
    clock.advance(30);
    answered(100);
    expect(coverage.coveredUntil).toBe(start + 100 - SAFETY_MARGIN_MS);
    expect(coverage.covers()).toBe(true);
    clock.advance(100 - SAFETY_MARGIN_MS - 30 - 1);
    expect(coverage.covers()).toBe(true);
    clock.advance(1);
    expect(coverage.covers()).toBe(false);
  });

  it("a poke in flight covers nothing, nor one that failed (its answer never given)", () => {
    const { clock, coverage } = setup();
    const inFlight = coverage.sending();
    clock.advance(5);
    expect(coverage.covers()).toBe(false);
    coverage.sending(); // a poke that fails: nobody calls what it returned
    clock.advance(5);
    expect(coverage.covers()).toBe(false);
    inFlight(100);
    expect(coverage.covers()).toBe(true);
  });

  it("a step due at once covers nothing beyond the margin", () => {
    const { coverage } = setup();
    coverage.sending()(0);
    expect(coverage.covers()).toBe(false);
    coverage.sending()(SAFETY_MARGIN_MS);
    expect(coverage.covers()).toBe(false);
  });

  it("never shrinks: a later poke promising a sooner step leaves the longer cover, a later one extends it", () => {
    const { clock, coverage, start } = setup();
    const first = coverage.sending();
    clock.advance(10);
    const second = coverage.sending();
    first(100);
    second(30);
    expect(coverage.coveredUntil).toBe(start + 100 - SAFETY_MARGIN_MS);
    clock.advance(60);
    coverage.sending()(100);
    expect(coverage.coveredUntil).toBe(start + 170 - SAFETY_MARGIN_MS);
  });
});

/**
 * Taken off every poke's promise: the clocks involved only move on I/O (a Worker's `Date.now()`
 * is the time of its last I/O, on the gateway and on the pump alike), so a time read may be a
 * little behind the real one. A few milliseconds at most; this leaves room to spare.
 */
export const SAFETY_MARGIN_MS = 20;

/**
 * Which tickets writes need no poke of their own, because a poke already answered guarantees a
 * pump step that reads them. One per isolate (the gateway app's), as the dispatcher: other
 * isolates poke for their own writes.
 *
 * Why a write can be covered: a poke sent at gateway time `g` (read before sending, so no later
 * than the real send) reaches the pump no sooner, and its answer `stepInMs` says the step it set
 * up starts no sooner than `stepInMs` after that; the step reads the change log after it starts.
 * A write whose 2xx reached the gateway before `g + stepInMs` committed before then (it commits
 * before it answers), so that step reads it. Less {@link SAFETY_MARGIN_MS}, that is the time
 * until which writes are covered; a later poke can only extend it. A poke that failed, or
 * answered without a usable `stepInMs`, covers nothing, and neither does one still in flight: a
 * write finished before a poke was sent is not read for certain by the step that poke sets up,
 * so only an answered poke counts.
 *
 * @example
 * ```ts
 * const coverage = new PokeCoverage();
 * if (!coverage.covers()) {
 *   const answered = coverage.sending();
 *   const { stepInMs } = await (await search.fetch(pokeRequest)).json<{ stepInMs: number }>();
 *   answered(stepInMs);
 * }
 * ```
 */
export class PokeCoverage {
  readonly #now: () => number;
  #coveredUntil = Number.NEGATIVE_INFINITY;

  /** `now` is the gateway's clock, a test's own in tests. */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Until when (gateway time, ms) a write's answer arriving is covered; -Infinity before any poke answered. */
  get coveredUntil(): number {
    return this.#coveredUntil;
  }

  /**
   * Whether a write whose 2xx has just arrived is read by a step a poke already set up, so it
   * needs no poke. Call it after the write's answer arrived: the time is read then.
   */
  covers(): boolean {
    return this.#now() < this.#coveredUntil;
  }

  /**
   * Call just before sending a poke: reads the send time, and returns what to call with the
   * poke's `stepInMs` once it has answered successfully (never for a poke that failed).
   */
  sending(): (stepInMs: number) => void {
    const sentAt = this.#now();
    return (stepInMs) => {
      this.#coveredUntil = Math.max(this.#coveredUntil, sentAt + stepInMs - SAFETY_MARGIN_MS);
    };
  }
}

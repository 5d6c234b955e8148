/**
 * Taken off every poke's promise: the clocks involved only move on I/O (a Worker's `Date.now()`
 * is the time of its last I/O, on the gateway and on the pump alike), so a time read may be a
 * little behind the real one. A few milliseconds at most; this leaves room to spare.
 */
export const SAFETY_MARGIN_MS = 20;

/**
 * The longest promise taken from a poke's answer: the pump's own is 100 ms (POKE_COALESCE_MS), and
 * a search Worker answering more, by a bug, must not silence the pokes for long.
 */
export const MAX_PROMISE_MS = 1_000;

/**
 * Sends one poke; resolves with its answer's `stepInMs` (0 when a 2xx gave none), or null when it
 * failed. Never rejects.
 */
export type SendPoke = () => Promise<number | null>;

/** A poke on its way: when it was sent, and its settling. */
interface PokeInFlight {
  sentAt: number;
  settled: Promise<void>;
}

/**
 * Which tickets writes need no poke of their own, because a poke guarantees a pump step that
 * reads them. One per isolate (the gateway app's), as the dispatcher: other isolates poke for
 * their own writes.
 *
 * Why a write can be covered: a poke sent at gateway time `g` (read before sending, so no later
 * than the real send) reaches the pump no sooner, and its answer `stepInMs` says the step it set
 * up starts no sooner than `stepInMs` after that (a step due at once, 0, still starts after the
 * poke came in); the step reads the change log after it starts. A write commits before it
 * answers, so a write whose 2xx reached the gateway before `g + stepInMs` (less
 * {@link SAFETY_MARGIN_MS}), or before `g` itself, is read by that step: the time the write's
 * answer arrived is all that matters, before or after the poke's answer comes back. So a write
 * that finds a poke in flight waits for its answer (in `waitUntil`; the client has its answer)
 * and pokes only if that does not cover it; writes waiting together share one poke. A poke that
 * failed covers nothing: a lost poke only delays the index until the pump's safety alarm.
 *
 * @example
 * ```ts
 * const coverage = new PokeCoverage();
 * // after each 2xx write:
 * ctx.waitUntil(coverage.afterWrite(() => pokeSearchPump(env.SEARCH_V1_0_0, requestId)));
 * ```
 */
export class PokeCoverage {
  readonly #now: () => number;
  #coveredUntil = Number.NEGATIVE_INFINITY;
  #inFlight: PokeInFlight | null = null;

  /** `now` is the gateway's clock, a test's own in tests. */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Writes whose answer arrived before this time (gateway time, ms) are read by a step a poke set up. */
  get coveredUntil(): number {
    return this.#coveredUntil;
  }

  /**
   * Call as soon as a write's 2xx has arrived (the time is read then): resolves once the write is
   * covered, by a poke answered before, by one in flight whose answer turns out to cover it, or
   * by one sent for it (shared with the writes waiting with it); or once that poke failed.
   */
  async afterWrite(send: SendPoke): Promise<void> {
    const answeredAt = this.#now();
    if (answeredAt < this.#coveredUntil) return;
    const pending = this.#inFlight;
    if (pending !== null) {
      await pending.settled;
      if (answeredAt < this.#coveredUntil) return;
    }
    // Join a poke another waiter sent after this write's answer, or send one.
    const joinable = this.#inFlight !== null && this.#inFlight.sentAt > answeredAt ? this.#inFlight : null;
    await (joinable ?? this.#send(send)).settled;
  }

  #send(send: SendPoke): PokeInFlight {
    const sentAt = this.#now();
    const poke: PokeInFlight = {
      sentAt,
      settled: send().then((stepInMs) => {
        if (this.#inFlight === poke) this.#inFlight = null;
        if (stepInMs === null) return;
        const promiseMs = Math.min(Math.max(0, stepInMs - SAFETY_MARGIN_MS), MAX_PROMISE_MS);
        this.#coveredUntil = Math.max(this.#coveredUntil, sentAt + promiseMs);
      }),
    };
    this.#inFlight = poke;
    return poke;
  }
}

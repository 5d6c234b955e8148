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
 * How long a poke may take. One that has not answered by then counts as failed: it covers
 * nothing, the writes waiting on it stop waiting, and the next write pokes again. Its request is
 * aborted by the same deadline (index.ts).
 */
export const POKE_TIMEOUT_MS = 2_000;

/**
 * Sends one poke; resolves with its answer's `stepInMs` (0 when a 2xx gave none), or null when it
 * failed. Should never reject; one that does counts as failed.
 */
export type SendPoke = () => Promise<number | null>;

/** Resolves after `ms` (real time in the gateway; a test's own in tests). */
export type Wait = (ms: number) => Promise<void>;

const sleep: Wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

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
 * failed, or took longer than {@link POKE_TIMEOUT_MS}, covers nothing, and each write waits on
 * another request's poke only until that deadline, with a timer of its own: a hung poke cannot
 * silence the isolate's pokes. What is left to the pump's safety alarm (30 s) or its retries: a
 * write whose poke failed, and one whose promised step failed (the retry reads it).
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
  readonly #wait: Wait;
  #coveredUntil = Number.NEGATIVE_INFINITY;
  #inFlight: PokeInFlight | null = null;

  /** `now` and `wait` are the gateway's clock and timers, a test's own in tests. */
  constructor(now: () => number = Date.now, wait: Wait = sleep) {
    this.#now = now;
    this.#wait = wait;
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
      await this.#awaitWithin(pending, answeredAt);
      if (answeredAt < this.#coveredUntil) return;
    }
    // Join a poke another waiter sent after this write's answer (strictly: one sent in the same
    // millisecond may have left before the write committed), or send one.
    const joinable = this.#inFlight !== null && this.#inFlight.sentAt > answeredAt ? this.#inFlight : null;
    if (joinable !== null) await this.#awaitWithin(joinable, answeredAt);
    else await this.#send(send).settled;
  }

  /**
   * Waits for another request's poke until it settles or its deadline passes, on a timer of this
   * request's own: a promise from another request may never settle for this one (its request may
   * end first), and a poke that hangs must not hold this write.
   */
  async #awaitWithin(poke: PokeInFlight, now: number): Promise<void> {
    const left = poke.sentAt + POKE_TIMEOUT_MS - now;
    if (left > 0) await Promise.race([poke.settled, this.#wait(left)]);
  }

  #send(send: SendPoke): PokeInFlight {
    const sentAt = this.#now();
    const answer = Promise.race([send(), this.#wait(POKE_TIMEOUT_MS).then(() => null)]).catch(() => null);
    const poke: PokeInFlight = {
      sentAt,
      settled: answer.then((stepInMs) => {
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

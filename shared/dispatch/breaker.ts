import { DEFAULT_ATTEMPT_TIMEOUT_MS, DEFAULT_COOLDOWN_MS, DEFAULT_FAILURE_THRESHOLD } from "./defaults.ts";
import type { BreakerOptions, BreakerSnapshot, BreakerState, CallCounts, Permission } from "./breaker-types.ts";
import { positive } from "./positive.ts";

/**
 * A consecutive-failure circuit breaker for one service version (cockatiel's ConsecutiveBreaker).
 * Isolates live briefly and have no reliable timers, so nothing is scheduled: the state is
 * derived from timestamps whenever it is read, and a change (such as open → half_open once the
 * cooldown has passed) is reported the first time it is observed.
 *
 * @example
 * ```ts
 * const breaker = new Breaker({ failureThreshold: 3, cooldownMs: 10_000 });
 * const permission = breaker.tryAcquire();
 * if (permission.allowed) (await call()).ok ? breaker.recordSuccess() : breaker.recordFailure();
 * ```
 */
export class Breaker {
  readonly #threshold: number;
  readonly #cooldownMs: number;
  readonly #trialTimeoutMs: number;
  readonly #now: () => number;
  readonly #onStateChange: BreakerOptions["onStateChange"];
  readonly #s: BreakerSnapshot;
  #reported: BreakerState;

  constructor(options: BreakerOptions = {}) {
    this.#threshold = positive("failureThreshold", options.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD);
    if (!Number.isInteger(this.#threshold)) throw new RangeError(`failureThreshold must be an integer, got ${this.#threshold}`);
    this.#cooldownMs = positive("cooldownMs", options.cooldownMs ?? DEFAULT_COOLDOWN_MS);
    this.#trialTimeoutMs = positive("trialTimeoutMs", options.trialTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS);
    this.#now = options.now ?? Date.now;
    this.#onStateChange = options.onStateChange;
    const initial = options.initial;
    this.#s = {
      consecutiveFailures: initial?.consecutiveFailures ?? 0,
      openedAt: initial?.openedAt ?? null,
      trialStartedAt: initial?.trialStartedAt ?? null,
      counts: { calls: 0, successes: 0, failures: 0, skips: 0, ...initial?.counts },
    };
    this.#reported = this.#derive(this.#now());
  }

  /** The current state, derived from the clock. */
  get state(): BreakerState {
    return this.#observe(this.#now());
  }

  /** A copy of the call counts. */
  get counts(): CallCounts {
    return { ...this.#s.counts };
  }

  /** Asks to make one call; a refusal counts as a skip, a grant as a call (in half-open, the trial). */
  tryAcquire(): Permission {
    const now = this.#now();
    const refusal = this.#refusal(now);
    if (refusal !== null) {
      this.#s.counts.skips += 1;
      return { allowed: false, ...refusal };
    }
    const trial = this.#derive(now) === "half_open";
    if (trial) this.#s.trialStartedAt = now;
    this.#s.counts.calls += 1;
    return { allowed: true, trial };
  }

  /** The version answered. Closes a half-open breaker; an open one ignores late successes. */
  recordSuccess(): void {
    const state = this.#observe(this.#now());
    this.#s.counts.successes += 1;
    this.#s.consecutiveFailures = 0;
    if (state === "half_open") this.#close();
  }

  /** The version failed. Opens the breaker at the threshold, and reopens a half-open one. */
  recordFailure(): void {
    const now = this.#now();
    const state = this.#observe(now);
    this.#s.counts.failures += 1;
    this.#s.consecutiveFailures += 1;
    if (state === "half_open" || (state === "closed" && this.#s.consecutiveFailures >= this.#threshold)) {
      this.#s.openedAt = now;
      this.#s.trialStartedAt = null;
      this.#observe(now);
    }
  }

  /** A granted trial ended without a verdict (the caller gave up): free the slot for the next caller. */
  releaseTrial(): void {
    this.#s.trialStartedAt = null;
  }

  /** When the next call could be let through, or null when one could be now. */
  retryAt(): number | null {
    return this.#refusal(this.#now())?.retryAt ?? null;
  }

  /** The full state as plain data, to restore later with the `initial` option. */
  toJSON(): BreakerSnapshot {
    return { ...this.#s, counts: { ...this.#s.counts } };
  }

  #refusal(now: number): Omit<Extract<Permission, { allowed: false }>, "allowed"> | null {
    const state = this.#observe(now);
    const { openedAt, trialStartedAt } = this.#s;
    if (state === "open" && openedAt !== null) return { reason: "circuit open", retryAt: openedAt + this.#cooldownMs };
    if (state === "half_open" && trialStartedAt !== null && now - trialStartedAt < this.#trialTimeoutMs) {
      return { reason: "half-open trial in flight", retryAt: trialStartedAt + this.#trialTimeoutMs };
    }
    return null;
  }

  #close(): void {
    this.#s.openedAt = null;
    this.#s.trialStartedAt = null;
    this.#observe(this.#now());
  }

  #derive(now: number): BreakerState {
    if (this.#s.openedAt === null) return "closed";
    return now - this.#s.openedAt >= this.#cooldownMs ? "half_open" : "open";
  }

  #observe(now: number): BreakerState {
    const state = this.#derive(now);
    if (state !== this.#reported) {
      const from = this.#reported;
      this.#reported = state;
      this.#onStateChange?.({ from, to: state, at: now });
    }
    return state;
  }
}

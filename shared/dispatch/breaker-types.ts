/** Plain data types of a circuit breaker, kept apart so that snapshots can be typed without the class. */

/** `half_open`: the cooldown is over and one trial call may go through. */
export type BreakerState = "closed" | "open" | "half_open";

/** What happened to one service version since its breaker was created or restored. */
export interface CallCounts {
  calls: number;
  successes: number;
  failures: number;
  skips: number;
}

/** Everything a breaker knows: plain data, so it can be stored and restored (see `toJSON`). */
export interface BreakerSnapshot {
  consecutiveFailures: number;
  /** When the breaker last opened (ms, from `now()`); null while closed. */
  openedAt: number | null;
  /** When the half-open trial call started; null when no trial is out. */
  trialStartedAt: number | null;
  counts: CallCounts;
}

/** Tuning for a {@link Breaker}; every field has a default. */
export interface BreakerOptions {
  /** Consecutive failures that open the breaker. Default 3. */
  failureThreshold?: number;
  /** How long an open breaker skips its version before a trial. Default 10 000 ms. */
  cooldownMs?: number;
  /** After this long a trial that never reported is presumed lost and the slot frees. Default: the attempt timeout. */
  trialTimeoutMs?: number;
  /** The clock; injectable for tests. Default `Date.now`. */
  now?: () => number;
  /** State to resume from, as produced by `toJSON()`. */
  initial?: BreakerSnapshot;
  /** Told of each state change, when first observed (see the class comment). */
  onStateChange?: (change: { from: BreakerState; to: BreakerState; at: number }) => void;
}

/** The answer to "may I call this version now?". */
export type Permission =
  | { allowed: true; trial: boolean }
  | { allowed: false; reason: "circuit open" | "half-open trial in flight"; retryAt: number };

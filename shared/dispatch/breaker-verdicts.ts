import type { AttemptResult } from "./attempt.ts";
import type { Breaker } from "./breaker.ts";

/* What a dispatch tells the breakers and asks of them, kept out of the dispatch loop. */

/**
 * Seconds until the earliest of `breakers` lets a call through: 1 if one would now.
 *
 * @example
 * ```ts
 * retryAfterSeconds(candidates.map((c) => breakers.get("tickets", c.version)), Date.now()); // e.g. 8
 * ```
 */
export function retryAfterSeconds(breakers: Breaker[], now: number): number {
  const times = breakers.map((breaker) => breaker.retryAt());
  if (times.some((time) => time === null)) return 1;
  return Math.max(1, Math.ceil((Math.min(...(times as number[])) - now) / 1000));
}

/**
 * Tells the breaker how an attempt went. An abort by the caller is no verdict on the service,
 * but a trial it interrupted must free its slot.
 *
 * @example
 * ```ts
 * settle(breaker, permission.trial, await callOnce(version, caller, context));
 * ```
 */
export function settle(breaker: Breaker, trial: boolean, { attempt, response }: AttemptResult): void {
  if (response !== null) {
    breaker.recordSuccess();
  } else if (attempt.outcome !== "aborted") {
    breaker.recordFailure();
  } else if (trial) {
    breaker.releaseTrial();
  }
}

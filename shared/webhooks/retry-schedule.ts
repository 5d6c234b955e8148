// When a failed delivery is tried again: Svix's schedule, with jitter, and what a receiver asks
// for with Retry-After.

/**
 * Seconds to wait before each attempt, by attempt number - 1: the first goes out at once (from
 * the fan-out), then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h. About 27.6 hours in all.
 */
export const RETRY_SCHEDULE_SECONDS: readonly number[] = [0, 5, 300, 1_800, 7_200, 18_000, 36_000, 36_000];

/** Attempts a delivery gets on the schedule; a failure of the last (or of a later manual retry) is final. */
export const MAX_ATTEMPTS = RETRY_SCHEDULE_SECONDS.length;

/** The longest delay a Queue message can have (12 h), so the longest wait a Retry-After gets. */
export const MAX_DELAY_SECONDS = 43_200;

/** What decides the wait before the next attempt. */
export interface RetryTiming {
  /** Share of the delay it may move either way, 0 to 1 (WEBHOOK_RETRY_JITTER). */
  jitter: number;
  /** A random number in [0, 1): Math.random, or a fixed one in tests. */
  random: () => number;
  /** What the receiver asked for with Retry-After (429 or 503), in seconds; null if nothing. */
  retryAfterSeconds?: number | null;
}

/**
 * Seconds to wait before attempt `failedAttempt + 1`, or null when `failedAttempt` was the last
 * one. The schedule's step moved by up to ± jitter, then no sooner than a Retry-After asks, all
 * capped at the Queue's 12 hours.
 *
 * @example
 * ```ts
 * nextAttemptDelaySeconds(1, { jitter: 0, random: Math.random });                          // 5
 * nextAttemptDelaySeconds(3, { jitter: 0.1, random: () => 1 - Number.EPSILON });           // ≈ 1980
 * nextAttemptDelaySeconds(1, { jitter: 0, random: Math.random, retryAfterSeconds: 120 });  // 120
 * nextAttemptDelaySeconds(8, { jitter: 0, random: Math.random });                          // null
 * ```
 */
export function nextAttemptDelaySeconds(failedAttempt: number, timing: RetryTiming): number | null {
  const step = RETRY_SCHEDULE_SECONDS[failedAttempt];
  if (step === undefined) return null;
  const jitter = Math.min(1, Math.max(0, timing.jitter));
  const jittered = Math.round(step * (1 + jitter * (2 * timing.random() - 1)));
  const asked = timing.retryAfterSeconds ?? 0;
  return Math.min(MAX_DELAY_SECONDS, Math.max(jittered, asked));
}

/**
 * A Retry-After header in seconds from `now`: delta-seconds or an HTTP date; null when absent or
 * unreadable. A date in the past means "now" (0).
 *
 * @example
 * ```ts
 * parseRetryAfter("120", Date.now());                            // 120
 * parseRetryAfter("Wed, 21 Oct 2037 07:28:00 GMT", Date.now());  // seconds until then
 * ```
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

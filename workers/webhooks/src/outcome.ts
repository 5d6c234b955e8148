import { MAX_ATTEMPTS, nextAttemptDelaySeconds } from "#shared/webhooks/retry-schedule.ts";
import type { DeliverySettings } from "./settings.ts";

/** What becomes of a delivery after one attempt. */
export interface Verdict {
  delivery: "delivered" | "pending" | "failed";
  /** Seconds until the next attempt, when there is one. */
  nextDelaySeconds: number | null;
  /** Why the subscription is disabled by this attempt; null when it is not. */
  disabledReason: string | null;
}

/** One attempt, as the verdict needs it. */
export interface AttemptFacts {
  attempt: number;
  success: boolean;
  statusCode: number | null;
  /** The URL failed the SSRF guard: no retry can help. */
  urlRefused: boolean;
  retryAfterSeconds: number | null;
  /** The subscription's first failure since its last success, before this attempt (epoch ms). */
  failingSince: number | null;
  now: number;
}

const hours = (ms: number) => `${Math.round((ms / 3_600_000) * 10) / 10} hours`;

/**
 * The verdict on an attempt: delivered on a 2xx; otherwise failed for good on a refused URL, a
 * 410 Gone (which also disables the subscription), the last attempt of the schedule (or any later
 * manual one), or when the subscription has been failing for WEBHOOK_DISABLE_AFTER_HOURS (which
 * disables it); else pending, with the schedule's next delay.
 *
 * @example
 * ```ts
 * decideOutcome({ attempt: 1, success: false, statusCode: 500, urlRefused: false, retryAfterSeconds: null, failingSince: null, now }, settings, Math.random);
 * // { delivery: "pending", nextDelaySeconds: 5, disabledReason: null }
 * ```
 */
export function decideOutcome(facts: AttemptFacts, settings: DeliverySettings, random: () => number): Verdict {
  if (facts.success) return { delivery: "delivered", nextDelaySeconds: null, disabledReason: null };
  const failed = (disabledReason: string | null = null): Verdict => ({ delivery: "failed", nextDelaySeconds: null, disabledReason });
  const when = new Date(facts.now).toISOString();
  if (facts.statusCode === 410) return failed(`The receiver answered 410 Gone at ${when}, asking for no more deliveries.`);
  const failingSince = facts.failingSince ?? facts.now;
  if (facts.now - failingSince >= settings.disableAfterMs) {
    return failed(
      `Every delivery attempt failed for ${hours(facts.now - failingSince)} (since ${new Date(failingSince).toISOString()}); ` +
        `subscriptions are disabled after ${hours(settings.disableAfterMs)} without a success.`,
    );
  }
  if (facts.urlRefused || facts.attempt >= MAX_ATTEMPTS) return failed();
  const nextDelaySeconds = nextAttemptDelaySeconds(facts.attempt, { jitter: settings.jitter, random, retryAfterSeconds: facts.retryAfterSeconds });
  return nextDelaySeconds === null ? failed() : { delivery: "pending", nextDelaySeconds, disabledReason: null };
}

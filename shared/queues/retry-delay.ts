/** First delay before a Queue message whose handling failed is delivered again. */
const BASE_DELAY_SECONDS = 5;
/** The longest such delay: 5 minutes. */
const MAX_DELAY_SECONDS = 300;

/**
 * How long a message waits before its next delivery after `attempts` failed ones: 5, 10, 20, 40,
 * 80, 160, then 300 s. For a consumer's own failure to handle a message (a Durable Object
 * restarting for a deploy, D1 or a Queue unavailable): briefly unavailable is retried within
 * seconds, a longer outage without hammering it. Every consumer of the system uses it; a webhook
 * receiver's failures follow their own schedule (shared/webhooks/retry-schedule.ts).
 *
 * @example
 * ```ts
 * message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
 * ```
 */
export const retryDelaySeconds = (attempts: number): number =>
  Math.min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2 ** Math.max(0, attempts - 1));

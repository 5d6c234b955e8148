/** First delay before a message whose handling failed (D1 or the Queue unavailable) is tried again. */
const BASE_DELAY_SECONDS = 5;
/** The longest such delay. */
const MAX_DELAY_SECONDS = 300;

/**
 * Seconds before a message that failed to be handled is redelivered, after `attempts`
 * deliveries of it: 5, 10, 20, ... up to 300. This is the consumer's own failure (the database
 * down), not a receiver's: those follow the delivery schedule.
 *
 * @example
 * ```ts
 * message.retry({ delaySeconds: consumerRetryDelaySeconds(message.attempts) });
 * ```
 */
export const consumerRetryDelaySeconds = (attempts: number): number =>
  Math.min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2 ** Math.max(0, attempts - 1));
